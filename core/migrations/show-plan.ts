/**
 * What Django says about pending migrations, as data (pure): the unapplied ones in
 * `manage.py showmigrations --plan` output, the commands that print them and their SQL, and that
 * SQL split back into one file per migration.
 */
import type { MigrationName } from "./pending.js"
import type { SqlFile } from "./sql-file.js"

/** Lists every migration in dependency order, `[X]` applied, `[ ]` not. */
export const SHOW_PLAN_COMMAND: readonly string[] = ["python", "manage.py", "showmigrations", "--plan", "--no-color"]

/**
 * The unapplied migrations of `showmigrations --plan`, in plan order: `[ ]  core.0003_widen_id`.
 * With -v 2 Django appends ` ... (applied at …)` or dependencies; only the first name counts.
 */
export function unappliedInPlan(stdout: string): MigrationName[] {
  return [...stdout.matchAll(/^\[ \]\s+(\w+)\.(\w+)/gm)].map((m) => ({ app: m[1]!, name: m[2]! }))
}

/** The line printed before each migration's SQL, so one run's output splits back into files. */
export const SQL_MARKER = "-- deploy-pipeline sqlmigrate"

/**
 * One shell runs sqlmigrate for each migration, in order, printing the marker and `app.name`
 * before each; names are arguments, never part of the script. It stops at the first failure.
 */
export function sqlmigrateCommand(migrations: readonly MigrationName[]): string[] {
  const script = `for m do echo "${SQL_MARKER} $m"; python manage.py sqlmigrate --no-color "\${m%%.*}" "\${m#*.}" || exit $?; done`
  return ["sh", "-c", script, "sh", ...migrations.map((m) => `${m.app}.${m.name}`)]
}

/** sqlmigrateCommand's output as files NNNN_<app>_<name>.sql (plan order), as check-migrations names them. */
export function splitSqlmigrate(stdout: string): SqlFile[] {
  const files: SqlFile[] = []
  const marker = new RegExp(`^${SQL_MARKER} (\\w+)\\.(\\w+)$`)
  let current: { path: string; lines: string[] } | undefined
  const close = () =>
    current &&
    files.push({
      path: current.path,
      content: current.lines.join("\n").trim() + (current.lines.some((l) => l.trim()) ? "\n" : ""),
    })
  for (const line of stdout.split("\n")) {
    const found = marker.exec(line)
    if (!found) {
      current?.lines.push(line)
      continue
    }
    close()
    current = { path: `${String(files.length + 1).padStart(4, "0")}_${found[1]}_${found[2]}.sql`, lines: [] }
  }
  close()
  return files
}

export const describeMigrations = (migrations: readonly MigrationName[]): string =>
  migrations.map((m) => `${m.app}.${m.name}`).join(", ")
