/**
 * Pending migrations: the app's migration files that the target's django_migrations does not list.
 * Pure: it takes the names found on disk and the rows read from the database (see applied.ts).
 */

export interface MigrationName {
  app: string
  name: string
}

export interface PendingMigrations {
  /** On disk, not applied: what the deploy will run, in app then name order. */
  pending: MigrationName[]
  /** Applied, but no file on disk: the target is ahead of this release (a rollback, or a missing app). */
  unknownApplied: MigrationName[]
}

const key = (m: MigrationName) => `${m.app}\u0000${m.name}`
const byAppThenName = (a: MigrationName, b: MigrationName) =>
  a.app === b.app ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.app < b.app ? -1 : 1

/**
 * Sorting by name is Django's numbering order within an app (0001_, 0002_…); across apps Django
 * follows the dependency graph, which `manage.py migrate --plan` prints if the order matters.
 */
export function pendingMigrations(
  onDisk: readonly MigrationName[],
  applied: readonly MigrationName[],
): PendingMigrations {
  const appliedKeys = new Set(applied.map(key))
  const diskKeys = new Set(onDisk.map(key))
  const appsOnDisk = new Set(onDisk.map((m) => m.app))
  return {
    pending: onDisk.filter((m) => !appliedKeys.has(key(m))).sort(byAppThenName),
    unknownApplied: applied.filter((m) => appsOnDisk.has(m.app) && !diskKeys.has(key(m))).sort(byAppThenName),
  }
}

/**
 * Migration names from file paths: `shop/orders/migrations/0002_order_note.py` → orders 0002_order_note.
 * `__init__.py`, non-Python files and files outside a `migrations` folder are not migrations.
 */
export function migrationsFromPaths(paths: readonly string[]): MigrationName[] {
  const found: MigrationName[] = []
  for (const path of paths) {
    const parts = path.split(/[\\/]/)
    const file = parts[parts.length - 1] ?? ""
    const folder = parts[parts.length - 2]
    const app = parts[parts.length - 3]
    if (folder !== "migrations" || !app || !/^\d{4}_\w+\.py$/.test(file)) continue
    found.push({ app, name: file.slice(0, -3) })
  }
  return found.sort(byAppThenName)
}

export function formatPending(result: PendingMigrations): string {
  const lines =
    result.pending.length === 0
      ? ["No pending migrations."]
      : [`${result.pending.length} pending migration(s):`, ...result.pending.map((m) => `  ${m.app} ${m.name}`)]
  if (result.unknownApplied.length > 0) {
    lines.push(
      `${result.unknownApplied.length} applied migration(s) have no file in this release (the database is ahead of it; roll back code only to a release that has them):`,
    )
    lines.push(...result.unknownApplied.map((m) => `  ${m.app} ${m.name}`))
  }
  return lines.join("\n")
}
