/**
 * The deploy reads the pending migrations itself when it was given none and the gate is enforced:
 * `showmigrations --plan`, then `sqlmigrate` for each unapplied one, in a container of the release
 * (the new image) on the project network, with the app's settings and secrets, against the
 * environment's database; the same commands as check-migrations. It runs under the deploy's lock,
 * before the ledger row and before anything the deploy changes: a refusal leaves the host as it was.
 * The image is pulled when missing (as preflight would), and a project network that did not exist
 * is created for the read and removed again.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import type { MigrationName } from "../migrations/pending.js"
import {
  SHOW_PLAN_COMMAND,
  describeMigrations,
  splitSqlmigrate,
  sqlmigrateCommand,
  unappliedInPlan,
} from "../migrations/show-plan.js"
import type { SqlFile } from "../migrations/sql-file.js"
import type { ComposeDriver } from "./compose.js"
import { DeployError, commandFailure } from "./errors.js"
import type { Release } from "./release.js"

export interface ReadMigrations {
  migrations: MigrationName[]
  files: SqlFile[]
  /** How they were read, for the migrate phase and a refusal. */
  detail: string
}

/** Whether a deploy given no --migrations reads them: the gate can refuse (staging, production, block_on not never) and the deploy applies them. */
export function readsPendingMigrations(config: EnvironmentConfig): boolean {
  const { run, block_on } = config.deploy.migrations
  return run && block_on !== "never" && (config.tier === "staging" || config.tier === "production")
}

export function describeRead(migrations: readonly MigrationName[], short: string): string {
  const how = `showmigrations --plan${migrations.length ? ", then sqlmigrate" : ""} in a container of ${short}`
  if (migrations.length === 0) return `read no pending migration from the release (${how})`
  return `read ${migrations.length} pending migration${migrations.length === 1 ? "" : "s"} from the release (${how}): ${describeMigrations(migrations)}`
}

/** The verdict on a first deploy's migrations: nothing serves that a lock or a dropped column could break. */
export function notGated(env: string): string {
  return `not gated: no release is live in ${env}`
}

export async function readPendingMigrations(driver: ComposeDriver, release: Release): Promise<ReadMigrations> {
  await driver.ensureImage(release.image)
  const created = await driver.ensureNetwork()
  try {
    const container = { role: "read-migrations", name: `read-migrations-${release.short}` }
    const plan = await driver.runInRelease(release, container, SHOW_PLAN_COMMAND)
    if (plan.exitCode !== 0) throw readFailure("the release could not list its migrations", SHOW_PLAN_COMMAND, plan)
    const migrations = unappliedInPlan(plan.stdout)
    if (migrations.length === 0) return { migrations, files: [], detail: describeRead(migrations, release.short) }
    const command = sqlmigrateCommand(migrations)
    const sql = await driver.runInRelease(release, container, command)
    if (sql.exitCode !== 0) throw readFailure("the release could not print its pending migrations' SQL", command, sql)
    return { migrations, files: splitSqlmigrate(sql.stdout), detail: describeRead(migrations, release.short) }
  } finally {
    if (created) await driver.removeNetwork()
  }
}

function readFailure(
  what: string,
  command: readonly string[],
  result: { exitCode: number; stdout: string; stderr: string },
): DeployError {
  return new DeployError(
    "preflight",
    `${commandFailure(`${what}, so the migrations gate has nothing to check`, command, result)}\nnothing was changed\nnext: check that the release reaches services.postgres with its settings and secrets, or pass the pending SQL with --migrations <dir> (manage.py sqlmigrate output)`,
  )
}
