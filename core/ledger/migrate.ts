/**
 * Brings a ledger schema up to date. Every deploy calls it first, so it must be idempotent and
 * safe when two deployers start at once: a transaction-scoped advisory lock on the schema's
 * migration key serialises them, and the loser finds everything applied and does nothing.
 */
import type pg from "pg"
import { LedgerTooNewError } from "./errors.js"
import { migrationLockKey } from "./keys.js"
import { LEDGER_MIGRATIONS } from "./migrations.js"
import { ident } from "./sql.js"

/** Applies the missing ledger migrations; returns the versions applied by this call (oldest first). */
export async function migrateLedger(client: pg.ClientBase, schema: string): Promise<number[]> {
  const s = ident(schema)
  await client.query("BEGIN")
  try {
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", [...migrationLockKey(schema)])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    )
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${s}.schema_migrations ORDER BY version`,
    )
    const applied = new Set(rows.map((row) => row.version))
    const newest = Math.max(0, ...applied)
    const known = LEDGER_MIGRATIONS.at(-1)?.version ?? 0
    if (newest > known) throw new LedgerTooNewError(schema, newest, known)
    const done: number[] = []
    for (const migration of LEDGER_MIGRATIONS) {
      if (applied.has(migration.version)) continue
      await client.query(migration.sql(s))
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ])
      done.push(migration.version)
    }
    await client.query("COMMIT")
    return done
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined)
    throw error
  }
}
