/**
 * Typed access to libpg-query's JSON tree. Every node is a one-key wrapper (`{ IndexStmt: {...} }`)
 * and zero values are omitted, so the rules read it through these helpers instead of casts.
 */
import type { Node, RangeVar, TypeName } from "libpg-query"

type KeysOf<T> = T extends unknown ? keyof T : never
export type NodeKey = KeysOf<Node>
export type NodeOf<K extends NodeKey> = K extends unknown ? Extract<Node, Record<K, unknown>>[K] : never

/** The payload of `node` when it is a `key` node, else undefined. */
export function pick<K extends NodeKey>(node: Node | undefined, key: K): NodeOf<K> | undefined {
  return node !== undefined && key in node ? (node as unknown as Record<K, NodeOf<K>>)[key] : undefined
}

/** The single key naming a node's type (`"AlterTableStmt"`). */
export function kindOf(node: Node | undefined): string {
  return node === undefined ? "" : (Object.keys(node)[0] ?? "")
}

/** `String` list items (`names`, `funcname`, `fields`) as plain strings. */
export function strings(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((n) => {
    const s = pick(n, "String")
    return s ? [s.sval ?? ""] : []
  })
}

/** An integer constant (A_Const or Integer); libpg-query leaves out ival when it is 0. */
export function intValue(node: Node | undefined): number | undefined {
  const c = pick(node, "A_Const")
  if (c?.ival !== undefined) return c.ival.ival ?? 0
  const i = pick(node, "Integer")
  return i ? (i.ival ?? 0) : undefined
}

/** A string or numeric constant as text (`'2s'`, `2000`), for SET values. */
export function constText(node: Node | undefined): string | undefined {
  const c = pick(node, "A_Const")
  if (!c) return undefined
  if (c.sval !== undefined) return c.sval.sval ?? ""
  if (c.ival !== undefined) return String(c.ival.ival ?? 0)
  if (c.fval !== undefined) return c.fval.fval ?? "0"
  return undefined
}

/** A relation key: unqualified names live in `public`, the schema Django and pg_dump use. */
export function relationKey(rv: RangeVar | undefined): string {
  return qualify(rv?.schemaname, rv?.relname ?? "")
}

export function qualify(schema: string | undefined, name: string): string {
  return `${schema ?? "public"}.${name}`
}

/** A qualified name list (`["app","idx"]`, `["idx"]`) as a key: its last two names, public by default. */
export function nameKey(names: readonly string[]): string {
  return qualify(names.length > 1 ? names[names.length - 2] : undefined, names[names.length - 1] ?? "")
}

/** How a relation key is shown to people: `app_book`, or `other.app_book` outside public. */
export function displayName(key: string): string {
  return key.startsWith("public.") ? key.slice("public.".length) : key
}

/** The last name of a qualified name list (`["pg_catalog","varchar"]` → `varchar`). */
export function typeBaseName(typeName: TypeName | undefined): string {
  const names = strings(typeName?.names)
  return names[names.length - 1] ?? ""
}

/** Depth-first walk over every node below `value`, for expression scans (functions, columns). */
export function walk(value: unknown, visit: (kind: string, payload: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit)
    return
  }
  if (value === null || typeof value !== "object") return
  for (const [key, inner] of Object.entries(value)) {
    if (/^[A-Z]/.test(key) && inner !== null && typeof inner === "object" && !Array.isArray(inner))
      visit(key, inner as Record<string, unknown>)
    walk(inner, visit)
  }
}

/**
 * Whether a statement's boolean option (`VACUUM (FULL)`, `REINDEX (CONCURRENTLY)`) is on, read as
 * PostgreSQL's defGetBoolean reads it: present with no value, or with true/on/1; `FULL FALSE`,
 * `FULL off` and `FULL 0` turn it off.
 */
export function optionOn(options: readonly Node[] | undefined, name: string): boolean {
  const option = (options ?? []).map((o) => pick(o, "DefElem")).find((d) => d?.defname === name)
  if (!option) return false
  const arg = option.arg
  if (arg === undefined) return true
  const bool = pick(arg, "Boolean")
  if (bool) return bool.boolval === true
  const int = pick(arg, "Integer")
  if (int) return (int.ival ?? 0) !== 0
  const text = (pick(arg, "String")?.sval ?? "").toLowerCase()
  return text !== "false" && text !== "off" && text !== "0"
}
