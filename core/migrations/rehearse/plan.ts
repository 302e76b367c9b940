/**
 * What a rehearsal runs (pure): the deploy's own migrate command (deploy.migrations.command),
 * narrowed to one migration at a time by Django's `migrate APP NAME`, so each migration is
 * measured on its own; and the scratch database's name.
 */
import type { MigrationName } from "../pending.js"

/**
 * The command narrowed to one migration: Django's migrate takes the app label and the migration
 * name as positional arguments after its options (`python manage.py migrate --noinput core 0003_x`).
 */
export function stepCommand(command: readonly string[], migration: MigrationName): string[] {
  return [...command, migration.app, migration.name]
}

/** Why the command cannot be narrowed per migration: it is not Django's migrate, or already names one. */
export function stepCommandProblem(command: readonly string[]): string | undefined {
  const at = command.indexOf("migrate")
  if (at < 0)
    return `deploy.migrations.command (${command.join(" ")}) is not manage.py migrate; a rehearsal runs it once per migration with APP NAME appended, so it must end in migrate and its options`
  const positional = command.slice(at + 1).filter((arg) => !arg.startsWith("-"))
  if (positional.length > 0)
    return `deploy.migrations.command (${command.join(" ")}) already names ${positional.join(" ")}; a rehearsal appends APP NAME for each pending migration, so the command must end in migrate and its options`
  return undefined
}

/** A scratch database's name: unique, a plain identifier, at most 63 bytes. */
export function rehearsalDatabaseName(env: string, digest: string, suffix: string): string {
  return `dp_rehearse_${env.replace(/[^a-z0-9_]/g, "_").slice(0, 20)}_${digest.replace(/^sha256:/, "").slice(0, 12)}_${suffix}`
}

/** Prints the database Django connects to: a rehearsal checks it is the scratch copy before it migrates anything. */
export const DATABASE_NAME_COMMAND: readonly string[] = [
  "python",
  "manage.py",
  "shell",
  "-c",
  "from django.db import connection; print(connection.settings_dict['NAME'])",
]

/** The settings that point the release's containers at the scratch database (app-env.ts gives them the rest). */
export const scratchDatabaseEnv = (name: string): Record<string, string> => ({ POSTGRES_DB: name })
