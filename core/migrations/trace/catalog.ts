/**
 * Catalog snapshots of a database's user schemas. `catalogSnapshot` is what "left exactly as it was"
 * means: relations with their relfilenodes, columns, constraints, indexes, triggers and enum labels.
 * `relationSnapshot` is the per-statement part: name ↔ oid ↔ relfilenode, to see rewrites by name.
 */
import type { Queryable } from "../pg-client.js"

const USER =
  "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"

const SNAPSHOT_QUERIES: Record<string, string> = {
  relations: `SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || c.relpersistence::text || ' filenode=' || coalesce(pg_relation_filenode(c.oid)::text, '-') AS line
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER}`,
  columns: `SELECT n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
      || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') || CASE WHEN a.attisdropped THEN ' dropped' ELSE '' END AS line
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER}`,
  constraints: `SELECT n.nspname || '.' || c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) || CASE WHEN con.convalidated THEN '' ELSE ' (not validated)' END AS line
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER}`,
  indexes: `SELECT pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' (invalid)' END AS line
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER}`,
  triggers: `SELECT pg_get_triggerdef(t.oid) AS line FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT t.tgisinternal AND ${USER}`,
  enums: `SELECT t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname`,
}

/** Sorted lines per catalog area; two snapshots are equal when the database's schema is. */
export async function catalogSnapshot(db: Queryable): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {}
  for (const [area, sql] of Object.entries(SNAPSHOT_QUERIES)) {
    snapshot[area] = (await db.query<{ line: string }>(sql)).rows.map((r) => r.line).sort()
  }
  return snapshot
}

/** The lines that differ between two snapshots ("- before", "+ after"); empty when equal. */
export function snapshotDiff(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
  const diff: string[] = []
  for (const area of Object.keys({ ...before, ...after })) {
    const a = new Set(before[area] ?? [])
    const b = new Set(after[area] ?? [])
    for (const line of a) if (!b.has(line)) diff.push(`- ${area}: ${line}`)
    for (const line of b) if (!a.has(line)) diff.push(`+ ${area}: ${line}`)
  }
  return diff
}

export interface RelationState {
  /** schema.name → relfilenode (0 when it has no storage). */
  filenodes: Map<string, number>
  /** oid → schema.name, to name the relations in pg_locks. */
  names: Map<number, string>
}

export async function relationSnapshot(db: Queryable): Promise<RelationState> {
  const rows = (
    await db.query<{ oid: string; name: string; filenode: string | null }>(
      `SELECT c.oid::int8::text AS oid, n.nspname || '.' || c.relname AS name, pg_relation_filenode(c.oid)::text AS filenode
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER}`,
    )
  ).rows
  return {
    filenodes: new Map(rows.map((r) => [r.name, Number(r.filenode ?? 0)])),
    names: new Map(rows.map((r) => [Number(r.oid), r.name])),
  }
}

/** Relations present before and after whose relfilenode changed: their data was rewritten. */
export function rewrittenRelations(before: RelationState, after: RelationState): string[] {
  const out: string[] = []
  for (const [name, filenode] of before.filenodes) {
    const now = after.filenodes.get(name)
    if (now !== undefined && filenode !== 0 && now !== filenode) out.push(name)
  }
  return out.sort()
}
