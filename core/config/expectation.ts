/**
 * Describes what the schema wants at a key path, in words ("a whole number from 1 to 50",
 * "one of compose, swarm"), so every config message can say how to fix it.
 */
import { z } from "zod"

/** The schema node at a key path, looking through optional, default, pipe and refinement wrappers. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = unwrap(root)
  for (const key of path) {
    if (!node) return undefined
    if (node instanceof z.ZodObject) node = unwrap((node.shape as Record<string, z.ZodType>)[String(key)])
    else if (node instanceof z.ZodRecord) node = unwrap(node.valueType as z.ZodType)
    else if (node instanceof z.ZodArray) node = unwrap(node.element as z.ZodType)
    else return undefined
  }
  return node
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let current = node
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable)
      current = current.unwrap() as z.ZodType
    else if (
      current instanceof z.ZodPipe &&
      current.in instanceof z.ZodType &&
      !(current.out instanceof z.ZodTransform)
    )
      current = current.in as z.ZodType
    else return current
  }
}

/** The keys a mapping at this path allows, for unknown-key suggestions. */
export function allowedKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const node = schemaAt(root, path)
  return node instanceof z.ZodObject ? Object.keys(node.shape as object) : []
}

/** The mappings (as dotted paths) whose schema has `key`: where a misplaced key belongs. */
export function placesOfKey(root: z.ZodType, key: string): string[] {
  const places: string[] = []
  const walk = (node: z.ZodType | undefined, path: string[]) => {
    if (!(node instanceof z.ZodObject)) return
    const shape = node.shape as Record<string, z.ZodType>
    if (key in shape) places.push(path.join(".") || "the top level")
    for (const [name, child] of Object.entries(shape)) walk(unwrap(child), [...path, name])
  }
  walk(unwrap(root), [])
  return places
}

export function expectation(node: z.ZodType | undefined): string {
  if (!node) return "a value"
  if (node instanceof z.ZodPipe)
    return isDuration(node) ? 'a duration such as "30s"' : expectation(node.in as z.ZodType)
  if (node instanceof z.ZodBoolean) return "true or false"
  if (node instanceof z.ZodEnum) return `one of ${(node.options as string[]).join(", ")}`
  if (node instanceof z.ZodLiteral) return JSON.stringify([...node.values][0])
  if (node instanceof z.ZodNumber) return numberExpectation(node)
  if (node instanceof z.ZodString) return "text"
  if (node instanceof z.ZodObject) return `a mapping with ${Object.keys(node.shape as object).join(", ")}`
  if (node instanceof z.ZodRecord) return "a mapping"
  if (node instanceof z.ZodArray) return `a list of ${plural(expectation(node.element as z.ZodType))}`
  if (node instanceof z.ZodUnion) return (node.options as z.ZodType[]).map(expectation).join(" or ")
  const inner = unwrap(node)
  return inner && inner !== node ? expectation(inner) : "a value"
}

function isDuration(node: z.ZodPipe): boolean {
  return node.in instanceof z.ZodString && node.out instanceof z.ZodTransform
}

function numberExpectation(node: z.ZodNumber): string {
  const kind = node.format === "safeint" ? "a whole number" : "a number"
  const min = node.minValue
  const max = node.maxValue
  const hasMin = min !== null && Number.isFinite(min) && min > Number.MIN_SAFE_INTEGER
  const hasMax = max !== null && Number.isFinite(max) && max < Number.MAX_SAFE_INTEGER
  if (hasMin && hasMax) return `${kind} from ${min} to ${max}`
  if (hasMin) return `${kind} of at least ${min}`
  if (hasMax) return `${kind} of at most ${max}`
  return kind
}

function plural(text: string): string {
  return text.replace(/^(a|an) /, "").replace(/^one of /, "values from ")
}
