/**
 * Finds where in the YAML a problem lives. Environments are overlays on a base file, so a key
 * is looked up in the environment's own file first and in the base second; a missing key is
 * placed at its deepest ancestor that exists.
 */
import { type Document, isMap, isPair, isScalar, type Pair } from "yaml"
import type { ParsedYaml } from "./yaml-document.js"

export interface Location {
  file: string
  line: number
  col: number
}

export type Anchor = "value" | "key" | "parent"

/**
 * `sources` in precedence order: the environment's file, then the base. A value or key is
 * found where it is written, the environment's file first. An absent key is placed at its
 * deepest written ancestor, the base first: adding it there fixes every environment at once.
 */
export function locate(sources: readonly ParsedYaml[], path: readonly PropertyKey[], anchor: Anchor): Location {
  const fallback: Location = { file: sources[0]!.file, line: 1, col: 1 }
  if (anchor !== "parent") {
    for (const source of sources) {
      const offset = anchor === "key" ? keyNode(source.doc, path) : valueOffset(source.doc, path)
      if (offset !== undefined) return at(source, offset)
    }
  }
  const order = anchor === "parent" ? [...sources].reverse() : sources
  for (let depth = anchor === "parent" ? path.length - 1 : path.length; depth > 0; depth--) {
    const ancestor = path.slice(0, depth)
    for (const source of order) {
      const key = keyNode(source.doc, ancestor)
      if (key) return at(source, key)
    }
  }
  return fallback
}

function at(source: ParsedYaml, offset: number): Location {
  const { line, col } = source.lines.linePos(offset)
  return { file: source.file, line, col }
}

/** Where the value at a path starts; a key with no value, or a key in a list, points at the key. */
function valueOffset(doc: Document.Parsed, path: readonly PropertyKey[]): number | undefined {
  if (path.length === 0) return undefined
  const pair = pairAt(doc, path)
  if (pair) {
    const value = pair.value as { range?: number[] } | null
    const key = pair.key as { range?: number[] }
    return value?.range?.[0] ?? key.range?.[0]
  }
  const node = doc.getIn(path as unknown[], true) as { range?: number[] } | undefined
  return node?.range?.[0]
}

/** Where the key of a path is written (the last segment's key). */
function keyNode(doc: Document.Parsed, path: readonly PropertyKey[]): number | undefined {
  return (pairAt(doc, path)?.key as { range?: number[] } | undefined)?.range?.[0]
}

function pairAt(doc: Document.Parsed, path: readonly PropertyKey[]): Pair | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1) as unknown[], true)
  if (!isMap(parent)) return undefined
  const last = String(path[path.length - 1])
  return parent.items.find(
    (item): item is Pair => isPair(item) && isScalar(item.key) && String(item.key.value) === last,
  )
}
