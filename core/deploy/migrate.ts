/**
 * Applying the release's migrations during a deploy (pure parts): the settings the migrate
 * container gets on top of the app's, and what Django's `migrate` printed, as the ledger records it.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import type { AppliedMigration } from "../ledger/record.js"

/**
 * libpq reads PGOPTIONS at connect, so the migrations' own connection gets the deploy's
 * lock_timeout and statement_timeout (ms): DDL that would queue behind a long transaction, and
 * stall every query behind it, fails fast instead.
 */
export function migrationEnvironment(config: EnvironmentConfig): Record<string, string> {
  const { lock_timeout, statement_timeout } = config.deploy.migrations
  return { PGOPTIONS: `-c lock_timeout=${lock_timeout} -c statement_timeout=${statement_timeout}` }
}

/**
 * `  Applying shop.0002_add_sku... OK` lines, in order. A line without OK is the migration that
 * failed (Django prints its name first), so it is not applied; anything else is ignored.
 */
export function parseApplied(stdout: string): AppliedMigration[] {
  return [...stdout.matchAll(/^\s*Applying (\w+)\.(\w+)\.\.\. OK\s*$/gm)].map((m) => ({ app: m[1]!, name: m[2]! }))
}

/** The migration Django was applying when it failed, if it printed one. */
export function failedMigration(stdout: string): string | null {
  return /^\s*Applying (\w+\.\w+)\.\.\.\s*$/m.exec(stdout)?.[1] ?? null
}

export const describeApplied = (applied: readonly AppliedMigration[]): string =>
  applied.length === 0
    ? "nothing to apply"
    : `applied ${applied.length}: ${applied.map((m) => `${m.app}.${m.name}`).join(", ")}`
