/**
 * Runs a rehearsal on a scratch database that the caller has created and loaded: asks the release
 * for its pending migrations (showmigrations --plan, against the copy), then applies them one at a
 * time with the deploy's migrate command narrowed to each, in containers of the release, while a
 * watcher connection samples pg_locks and reads the tables' relfilenodes and row counters before
 * and after each. It stops at the first failure; the rest are reported as not run. The seams are
 * the container runner and the connection, so the caller decides where they run.
 */
import { performance } from "node:perf_hooks"
import type { ExecResult } from "../../exec/types.js"
import type { Connection } from "../pg-client.js"
import type { MigrationName } from "../pending.js"
import { SHOW_PLAN_COMMAND, unappliedInPlan } from "../show-plan.js"
import { tableStates, waitForOtherSessions, watchLocks } from "./measure.js"
import { DATABASE_NAME_COMMAND, stepCommand } from "./plan.js"
import { type MigrationReport, measureMigration, notRun } from "./report.js"

export interface RehearsalSeams {
  /** Runs argv in a container of the release with the app's settings, against the scratch database, with the deploy's PGOPTIONS. */
  runInRelease(command: readonly string[]): Promise<ExecResult>
  /** A connection to the scratch database, for the watcher. */
  connectScratch(): Promise<Connection>
  log(line: string): void
}

/** Thrown when the release cannot list its migrations against the copy: nothing was measured. */
export class RehearsalPlanError extends Error {
  override readonly name = "RehearsalPlanError"
}

export async function rehearseOnScratch(
  migrateCommand: readonly string[],
  scratch: string,
  seams: RehearsalSeams,
): Promise<MigrationReport[]> {
  // Never migrate a database other than the copy: the app's settings must resolve to it.
  const target = await seams.runInRelease(DATABASE_NAME_COMMAND)
  const named = target.stdout.trim().split("\n").at(-1)?.trim()
  if (target.exitCode !== 0 || named !== scratch) {
    throw new RehearsalPlanError(
      `the release's settings do not point at the scratch database ${scratch} (Django's connection names ${named ? `"${named}"` : "nothing"}${target.exitCode !== 0 ? `; exited ${target.exitCode}: ${tail(target)}` : ""}); the rehearsal sets POSTGRES_DB, so the settings must read the database name from it. Nothing was migrated`,
    )
  }
  const plan = await seams.runInRelease(SHOW_PLAN_COMMAND)
  if (plan.exitCode !== 0)
    throw new RehearsalPlanError(
      `the release could not list its migrations against the copy: \`${SHOW_PLAN_COMMAND.join(" ")}\` exited ${plan.exitCode}\n${tail(plan)}`,
    )
  const pending = unappliedInPlan(plan.stdout)
  seams.log(
    `${pending.length} pending migration${pending.length === 1 ? "" : "s"}: ${pending.map((m) => `${m.app}.${m.name}`).join(", ") || "none"}`,
  )
  const watcher = await seams.connectScratch()
  const reports: MigrationReport[] = []
  try {
    for (const [i, migration] of pending.entries()) {
      const report = await rehearseOne(migration, migrateCommand, watcher, seams)
      reports.push(report)
      seams.log(`${migration.app}.${migration.name}: ${report.result} in ${report.wallMs} ms`)
      if (report.result === "failed") {
        reports.push(...pending.slice(i + 1).map(notRun))
        break
      }
    }
  } finally {
    await watcher.end().catch(() => undefined)
  }
  return reports
}

async function rehearseOne(
  migration: MigrationName,
  migrateCommand: readonly string[],
  watcher: Connection,
  seams: RehearsalSeams,
): Promise<MigrationReport> {
  const before = await tableStates(watcher)
  const watch = watchLocks(watcher)
  const started = performance.now()
  const ran = await seams.runInRelease(stepCommand(migrateCommand, migration)).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )
  const wallMs = performance.now() - started
  const locks = await watch.stop()
  if ("error" in ran) throw ran.error
  const result = ran.value
  await waitForOtherSessions(watcher)
  const after = await tableStates(watcher)
  return measureMigration(
    migration,
    { wallMs, ...(result.exitCode !== 0 ? { error: `exited ${result.exitCode}: ${tail(result)}` } : {}) },
    before,
    after,
    locks,
  )
}

const tail = (result: { stdout: string; stderr: string }) =>
  (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-5).join("\n")
