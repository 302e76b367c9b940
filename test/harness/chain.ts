/**
 * The recorded shape of a Dagger pipeline: a chain of field selections.
 *
 * Why: the recording engine never executes anything; it turns every GraphQL query into
 * `[{field, args}, …]`, and object arguments (IDs) into `{$ref, chain}` so one chain carries
 * the whole graph (mounted directories, service bindings, platform variants). Tests then
 * assert on these plain values; `findCalls` searches them, nested references included.
 */
import { createHash } from "node:crypto"

/** An object argument: the ID the SDK sent and the chain that ID stands for. */
export interface Ref {
  $ref: string
  chain: Chain
}

/** Argument values as GraphQL literals, with known IDs replaced by references. */
export type ArgValue = string | number | boolean | null | Ref | ArgValue[] | { [key: string]: ArgValue }

/** One selected field. `index` marks an element of a list of objects (e.g. `inputArgs[1]`). */
export interface Call {
  field: string
  args: Record<string, ArgValue>
  index?: number
}

export type Chain = Call[]

export function isRef(value: unknown): value is Ref {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as Ref).$ref === "string"
}

/** Shorthand for building calls in tests: `call("from", { address: "alpine" })`. */
export function call(field: string, args: Record<string, ArgValue> = {}): Call {
  return { field, args }
}

/** Every call named `field` in `chain`, including inside referenced chains (depth first, in order). */
export function findCalls(chain: Chain, field: string): Call[] {
  const found: Call[] = []
  const visitValue = (value: ArgValue): void => {
    if (isRef(value)) {
      visitChain(value.chain)
    } else if (Array.isArray(value)) {
      value.forEach(visitValue)
    } else if (typeof value === "object" && value !== null) {
      Object.values(value).forEach(visitValue)
    }
  }
  const visitChain = (c: Chain): void => {
    for (const item of c) {
      if (item.field === field) found.push(item)
      Object.values(item.args).forEach(visitValue)
    }
  }
  visitChain(chain)
  return found
}

/** The field names of a chain, e.g. `["container", "from", "withExec"]` (references not expanded). */
export function fieldsOf(chain: Chain): string[] {
  return chain.map((c) => c.field)
}

/** Canonical JSON of a chain where references count by their ID only. */
export function chainKey(chain: Chain): string {
  const norm = (value: ArgValue): unknown => {
    if (isRef(value)) return { $ref: value.$ref }
    if (Array.isArray(value)) return value.map(norm)
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, norm(value[k] as ArgValue)]),
      )
    }
    return value
  }
  return JSON.stringify(
    chain.map((c) => ({
      f: c.field,
      a: norm(c.args),
      ...(c.index === undefined ? {} : { i: c.index }),
    })),
  )
}

/** Hex SHA-256 of a string. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex")
}

/** Human-readable form, e.g. `container.from(address: "alpine").withExec(args: ["ls"])`. */
export function describeChain(chain: Chain): string {
  const show = (value: ArgValue): string => {
    if (isRef(value)) return `<${describeChain(value.chain)}>`
    if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`
    if (typeof value === "object" && value !== null) {
      return `{${Object.entries(value)
        .map(([k, v]) => `${k}: ${show(v)}`)
        .join(", ")}}`
    }
    return JSON.stringify(value)
  }
  return chain
    .map((c) => {
      const args = Object.entries(c.args).map(([k, v]) => `${k}: ${show(v)}`)
      const index = c.index === undefined ? "" : `[${c.index}]`
      return `${c.field}${args.length > 0 ? `(${args.join(", ")})` : ""}${index}`
    })
    .join(".")
}
