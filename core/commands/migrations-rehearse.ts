/**
 * `migrations rehearse --env E --image REF`: the release's pending migrations applied for real on a
 * copy of the environment's data. The copy is the latest verified backup the ledger records (else
 * a fresh pg_dump, which only reads the database), restored into a scratch database on the same
 * server; the deploy's own migrate command and PGOPTIONS (migrationEnvironment) run in containers
 * of the release, one migration at a time, while a watcher measures locks, rewrites and rows
 * (migrations/rehearse/). The scratch database is dropped whatever happens, and the rehearsal is
 * recorded in the ledger, where a deploy with deploy.migrations.rehearse required looks for it.
 */
import { randomBytes } from "node:crypto"
import type { Environment } from "../config/load.js"
import { deployerServices } from "../deploy/deployer-services.js"
import { migrationEnvironment } from "../deploy/migrate.js"
import { releaseOf } from "../deploy/release.js"
import { type EngineDeps, driverFor } from "../deploy/session.js"
import { migrateLedger } from "../ledger/migrate.js"
import { recordRehearsal } from "../ledger/rehearsals.js"
import { connect } from "../migrations/pg-client.js"
import { rehearsalDatabaseName, scratchDatabaseEnv, stepCommandProblem } from "../migrations/rehearse/plan.js"
import {
  type MigrationReport,
  type RehearsalReport,
  renderRehearsalJson,
  renderRehearsalText,
} from "../migrations/rehearse/report.js"
import { rehearseOnScratch } from "../migrations/rehearse/run.js"
import {
  type DumpSource,
  freshDump,
  latestVerifiedBackup,
  recordedBackups,
  restoreIntoScratch,
} from "../migrations/rehearse/source.js"
import { type Outcome, failure, jsonDocument, success } from "./outcome.js"

export interface RehearseRequest {
  env: Environment
  /** The release, pinned (repo@sha256:… or a local image ID). */
  image: string
  requestedBy: string
  format?: "text" | "json"
}

export async function migrationsRehearse(request: RehearseRequest, deps: EngineDeps): Promise<Outcome> {
  const { env } = request
  const { config } = env
  const release = releaseOf(request.image)
  const command = config.deploy.migrations.command
  const problem = stepCommandProblem(command)
  if (problem) return failure("rehearsal-failed", `${problem}; nothing was run`)
  const executor = deps.backupExecutor
  if (!executor)
    return failure(
      "rehearsal-failed",
      "this engine has no backup executor (pg_dump, pg_restore) to copy the data with; use the CLI's or the Dagger engine. Nothing was run",
    )
  const { host, port, user, database } = deployerServices(config.services, deps.reach).postgres
  const password = deps.secretValues.POSTGRES_PASSWORD
  const server = { host, port, user, database, ...(password ? { password } : {}) }
  const driver = driverFor(env, deps.executor)
  // An unreachable ledger is a LedgerUnreachableError (core/ledger/connect.ts), named by the surfaces like any other.
  const ledger = await deps.connectLedger()
  ledger.on("error", () => undefined)
  const startedAt = new Date()
  try {
    await migrateLedger(ledger, config.ledger.schema)
    await driver.ensureImage(release.image)
    const createdNetwork = await driver.ensureNetwork()
    try {
      const refs = await recordedBackups(ledger, config.ledger.schema, env.name)
      const dump: DumpSource =
        (await latestVerifiedBackup(refs, deps.backupStore, release.image, deps.log)) ??
        (await freshDump(server, executor))
      const name = rehearsalDatabaseName(env.name, release.digest, randomBytes(3).toString("hex"))
      deps.log(`restoring ${dump.describe} into ${name}…`)
      const scratch = await restoreIntoScratch(server, name, dump, executor).finally(() => dump.done())
      let migrations: MigrationReport[] = []
      let error: string | null = null
      try {
        let run = 0
        migrations = await rehearseOnScratch(command, name, {
          runInRelease: (argv) =>
            driver.runInRelease(
              release,
              { role: "rehearse", name: `rehearse-${release.short}-${name.slice(-6)}-${++run}` },
              argv,
              { ...migrationEnvironment(config), ...scratchDatabaseEnv(name) },
            ),
          connectScratch: () => connect(urlOf(scratch.conn), "deploy-pipeline-rehearse-watch"),
          log: deps.log,
        })
      } catch (e) {
        error = (e as Error).message
      } finally {
        await scratch.drop()
      }
      const failed = migrations.find((m) => m.result === "failed")
      const passed = error === null && failed === undefined
      const report: RehearsalReport = {
        env: env.name,
        image: release.image,
        digest: release.digest,
        source: dump.describe,
        scratch: name,
        passed,
        migrations,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        ...(error !== null ? { error } : {}),
      }
      const id = await recordRehearsal(ledger, config.ledger.schema, {
        env: env.name,
        image: { ref: release.image, digest: release.digest },
        source: dump.describe,
        result: passed ? "passed" : "failed",
        migrations,
        error: error ?? failed?.error ?? null,
        requestedBy: request.requestedBy,
        startedAt,
        finishedAt: new Date(report.finishedAt),
      })
      if (request.format === "json") return jsonDocument(passed, renderRehearsalJson({ ...report, ledgerId: id }))
      const text = `${renderRehearsalText(report)}\nrecorded as rehearsal #${id} in the ledger`
      return passed ? success(text) : failure("rehearsal-errors", text)
    } finally {
      if (createdNetwork) await driver.removeNetwork()
    }
  } finally {
    await ledger.end().catch(() => undefined)
  }
}

function urlOf(conn: { host: string; port: number; user: string; database: string; password?: string }): string {
  const auth = conn.password
    ? `${encodeURIComponent(conn.user)}:${encodeURIComponent(conn.password)}`
    : encodeURIComponent(conn.user)
  return `postgres://${auth}@${conn.host.includes(":") ? `[${conn.host}]` : conn.host}:${conn.port}/${encodeURIComponent(conn.database)}`
}
