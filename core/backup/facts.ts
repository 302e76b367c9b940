/**
 * What a verified backup must reproduce: the row count of every table and the django_migrations
 * rows. They are read from the source inside the very snapshot pg_dump dumps, so they match the
 * dump exactly even while the app keeps writing, and read again from the restored copy.
 */
import type { AppliedMigration } from "../ledger/record.js"
import { type Queryable, ident } from "../ledger/sql.js"

export interface TableCount {
  /** schema.table */
  name: string
  rows: number
}

export interface DatabaseFacts {
  tables: TableCount[]
  /** django_migrations in id order, or null when the database has no such table. */
  djangoMigrations: AppliedMigration[] | null
}

/** Ordinary and partitioned tables outside the system schemas, minus extension members (pg_dump skips their data). */
const TABLES_SQL = `SELECT n.nspname AS schema, c.relname AS name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY 1, 2`

export async function readFacts(db: Queryable): Promise<DatabaseFacts> {
  const { rows: tables } = await db.query<{ schema: string; name: string }>(TABLES_SQL)
  let counts: TableCount[] = []
  if (tables.length > 0) {
    const union = tables
      .map((t, i) => `SELECT ${i} AS i, count(*) AS n FROM ${ident(t.schema)}.${ident(t.name)}`)
      .join(" UNION ALL ")
    const { rows } = await db.query<{ i: number; n: string }>(`${union} ORDER BY i`)
    counts = rows.map((row) => ({ name: `${tables[row.i]?.schema}.${tables[row.i]?.name}`, rows: Number(row.n) }))
  }
  const { rows: found } = await db.query<{ present: boolean }>(
    "SELECT to_regclass('django_migrations') IS NOT NULL AS present",
  )
  let djangoMigrations: AppliedMigration[] | null = null
  if (found[0]?.present === true) {
    djangoMigrations = (await db.query<AppliedMigration>("SELECT app, name FROM django_migrations ORDER BY id")).rows
  }
  return { tables: counts, djangoMigrations }
}

/** Every way the restored copy differs from the source, as lines for an operator; [] when it matches. */
export function compareFacts(source: DatabaseFacts, restored: DatabaseFacts): string[] {
  const differences: string[] = []
  const before = new Map(source.tables.map((t) => [t.name, t.rows]))
  const after = new Map(restored.tables.map((t) => [t.name, t.rows]))
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(name)
    const b = after.get(name)
    if (a === undefined) differences.push(`${name}: in the restore but not in the source`)
    else if (b === undefined) differences.push(`${name}: ${a} rows in the source, missing from the restore`)
    else if (a !== b) differences.push(`${name}: ${a} rows in the source, ${b} in the restore`)
  }
  differences.push(...compareMigrations(source.djangoMigrations, restored.djangoMigrations))
  return differences
}

function compareMigrations(source: AppliedMigration[] | null, restored: AppliedMigration[] | null): string[] {
  if (source === null && restored === null) return []
  if (source === null) return ["django_migrations: in the restore but not in the source"]
  if (restored === null) return ["django_migrations: in the source, missing from the restore"]
  const label = (m: AppliedMigration | undefined) => (m === undefined ? "nothing" : `${m.app}.${m.name}`)
  const length = Math.max(source.length, restored.length)
  for (let i = 0; i < length; i++) {
    const a = source[i]
    const b = restored[i]
    if (a?.app !== b?.app || a?.name !== b?.name) {
      return [
        `django_migrations: ${source.length} rows in the source, ${restored.length} in the restore; row ${i + 1} is ${label(a)} in the source, ${label(b)} in the restore`,
      ]
    }
  }
  return []
}
