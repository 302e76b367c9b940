/** Reads django_migrations from the target (the edge of pending.ts). A fresh database has none applied. */
import type { MigrationName } from "./pending.js"
import type { Queryable } from "./pg-client.js"

export async function appliedMigrations(db: Queryable): Promise<MigrationName[]> {
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass('django_migrations')::text AS t")
  if (!exists.rows[0]?.t) return []
  return (await db.query<MigrationName>("SELECT app, name FROM django_migrations ORDER BY id")).rows
}
