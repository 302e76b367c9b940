/**
 * The deploy: plan → approval → lock → migrations gate (on the SQL given, before the lock; else
 * read from the release) → ledger "started" → preflight → backup → migrations → boot the new
 * release → health gate → switch → watch → retire → ledger → notify → unlock.
 *
 * Two failure rules hold throughout. A failure before the switch leaves the old release serving
 * (the proxy is not touched). A failure in the watch window switches back automatically and
 * records rolled_back. Through the watch the old release keeps running as the route's fallback
 * (it takes what the new one cannot answer); retire takes it out of the route, then stops it.
 * The proxy, not the ledger, says what is live: a deploy of the digest it serves but the ledger
 * never recorded live (a deployer killed after its switch) finishes that deploy.
 */
import type { Environment } from "../config/load.js"
import { formatDuration } from "../config/units.js"
import { backupSettings } from "../backup/config.js"
import { takeBackup } from "../backup/backup.js"
import type { AppliedMigration } from "../ledger/record.js"
import type { SqlFile } from "../migrations/sql-file.js"
import { approvalProblem } from "./approval.js"
import { migrationGate } from "./migration-gate.js"
import { describeApplied, failedMigration, parseApplied } from "./migrate.js"
import { DeployError } from "./errors.js"
import type { WebContainer } from "./host-state.js"
import { type Colour, otherColour } from "./names.js"
import { preflight } from "./preflight.js"
import { notGated, readPendingMigrations, readsPendingMigrations } from "./read-migrations.js"
import { requireRehearsal } from "./rehearsal-requirement.js"
import { type Release, releaseOf } from "./release.js"
import { type EngineDeps, type EngineDepsSource, type Session, withSession } from "./session.js"
import { gateOrUndo } from "./steps/gate-or-undo.js"
import { switchTraffic } from "./steps/switch.js"
import { switchBack } from "./steps/switch-back.js"
import { deployStart } from "./deploy-start.js"
import { finishInterrupted } from "./finish-interrupted.js"
import { retire } from "./steps/retire.js"
import { watchLive } from "./steps/watch.js"
import { onceEngineDeps, readTargetSchema } from "./target-schema.js"

export interface DeployRequest {
  env: Environment
  image: string
  /** What the app must report as its version on /health/; default the digest's first 12 hex. */
  version?: string
  approve?: string
  requestedBy: string
  commit?: string
  /** Default: the environment's deploy.lock_wait. */
  lockWaitMs?: number
  /** The pending migrations' SQL (manage.py sqlmigrate output), checked before anything changes; absent: read from the release where the gate is enforced (read-migrations.ts). */
  migrations?: SqlFile[]
  /** Why unsafe migrations may go ahead anyway (staging, production); recorded in the ledger. */
  allowUnsafeMigrations?: string
}

export interface DeployOutcome {
  id: number
  result: "succeeded" | "rolled_back"
  release: Release
  previous: string | null
  durationMs: number
  summary: string
  warnings: string[]
}

export async function deploy(request: DeployRequest, depsSource: EngineDepsSource): Promise<DeployOutcome> {
  const { env } = request
  const release = releaseOf(request.image, request.version)
  const refusal = approvalProblem(env.name, env.config, release, request.approve)
  if (refusal) throw new DeployError("refused", `${refusal}; nothing was changed`)
  // Given no SQL where the gate can refuse, the deploy reads it from the release under the lock (below).
  const reads = !request.migrations && readsPendingMigrations(env.config)
  // Made once, when first needed: the gate reads the database's schema through it (a failure there only costs the gate the schema).
  const engine = onceEngineDeps(depsSource)
  const migrationVerdict = reads
    ? undefined
    : await migrationGate(env.name, env.config, request.migrations ?? [], request.allowUnsafeMigrations, () =>
        readTargetSchema(env.config, engine),
      )
  if (migrationVerdict?.blocked) throw new DeployError("refused", `${migrationVerdict.summary}\nNothing was changed`)
  const deps = await engine()
  if (migrationVerdict?.warning) deps.log(`warning: ${migrationVerdict.warning}`)
  if (env.config.deploy.backup.enabled && !deps.backupExecutor) {
    throw new DeployError(
      "backup",
      `${env.name} takes a backup before every deploy, and this deploy engine was built without a backup executor (EngineDeps.backupExecutor); use the CLI's or the Dagger engine. Nothing was changed`,
    )
  }
  const info = {
    env,
    action: "deploy" as const,
    lockWaitMs: request.lockWaitMs ?? env.config.deploy.lock_wait,
    message: `deploying ${release.digest}`,
  }
  return withSession(info, deps, async (session) => {
    const { ledger, driver } = session
    const current = await ledger.current(env.name)
    const web = await driver.webContainers()
    const live = await driver.liveContainers(web)
    if (live.some((c) => c.digest === release.digest)) {
      if (current?.image.digest === release.digest)
        throw new DeployError("refused", `${release.digest} is already live in ${env.name}; nothing was changed`)
      // Live by the proxy, never recorded live: a deploy killed after its switch. Finish it.
      const finished = await finishInterrupted(session, request, release, deps, { live, web, current })
      return {
        id: finished.id,
        result: finished.result,
        release,
        previous: finished.previous,
        durationMs: finished.durationMs,
        summary: finished.summary,
        warnings: session.warnings,
      }
    }
    if (live[0] && current && live[0].digest !== current.image.digest) {
      deps.log(
        `warning: the proxy serves ${live[0].digest}, not the ledger's current ${current.image.digest} (an earlier deploy was interrupted); going by the proxy`,
      )
    }
    const migrations = migrationVerdict
      ? migrationVerdict.summary.split("\n")[0]!
      : await readAndGate(request, release, session, deps, Boolean(current) || live.length > 0)
    await requireRehearsal(env, release, deps)
    const fromColour = (live[0]?.colour ?? null) as Colour | null
    const toColour = fromColour ? otherColour(fromColour) : "blue"
    const start = deployStart(request, release, {
      previousDigest: live[0]?.digest ?? current?.image.digest ?? null,
      colorFrom: fromColour,
      colorTo: toColour,
    })
    const outcome = await session.track(start, "boot", (id) =>
      run(session, request, release, deps, { migrations, live, web, toColour, id }),
    )
    return {
      id: outcome.id,
      result: outcome.result,
      release,
      previous: start.previousDigest,
      durationMs: outcome.durationMs,
      summary: outcome.summary,
      warnings: session.warnings,
    }
  })
}

/**
 * The pending migrations read from the release, gated against the database's schema; what the migrate phase says about them.
 * Refused: nothing was changed. With no release serving (`serving` false: none live, none in the ledger) nothing a lock or a
 * dropped column could break is running, so a first deploy is reported, not gated.
 */
async function readAndGate(
  request: DeployRequest,
  release: Release,
  session: Session,
  deps: EngineDeps,
  serving: boolean,
): Promise<string> {
  const { env } = request
  deps.log("reading the pending migrations from the release…")
  const read = await readPendingMigrations(session.driver, release)
  deps.log(read.detail)
  if (!serving) return read.files.length ? `${read.detail}; ${notGated(env.name)}` : read.detail
  const verdict = await migrationGate(env.name, env.config, read.files, request.allowUnsafeMigrations, () =>
    readTargetSchema(env.config, deps),
  )
  if (verdict.warning) session.warn(verdict.warning)
  if (verdict.blocked) throw new DeployError("refused", `${verdict.summary}\n(${read.detail})\nNothing was changed`)
  return read.files.length ? `${read.detail}; ${verdict.summary.split("\n")[0]!}` : read.detail
}

interface RunState {
  migrations: string
  live: WebContainer[]
  web: WebContainer[]
  toColour: Colour
  id: number
}

async function run(
  session: Session,
  request: DeployRequest,
  release: Release,
  deps: EngineDeps,
  state: RunState,
): Promise<{ result: "succeeded" | "rolled_back"; summary: string; error?: string }> {
  const { env } = request
  const { config } = env
  const { driver, ledger } = session
  await session.phase("preflight", () => preflight(driver, config, release, deps, (warning) => session.warn(warning)))
  if (config.deploy.backup.enabled) {
    const backupExecutor = deps.backupExecutor!
    await session.phase("backup", async () => {
      const settings = backupSettings(env.name, config)
      const password = deps.secretValues.POSTGRES_PASSWORD
      // With a store (Dagger), the dump is taken in a local staging directory and kept in the store's deploy.backup.location.
      const store = deps.backupStore
      const backup = await takeBackup({
        ...settings,
        ...(store ? { location: store.staging(env.name) } : {}),
        source: { ...settings.source, ...(password ? { password } : {}) },
        executor: backupExecutor,
      })
      const kept = store
        ? await store.keep(backup, {
            env: env.name,
            location: settings.location,
            keep: settings.keep,
            image: release.image,
          })
        : { ref: backup.ref, warnings: [] }
      for (const warning of kept.warnings) session.warn(warning)
      await ledger.amend(state.id, { backup: kept.ref })
      return `${backup.id} (${backup.bytes} bytes, sha256 ${backup.sha256.slice(0, 12)}${backup.verified ? ", verified by restore" : ""}${store ? `, kept at ${kept.ref.location}` : ""})`
    })
  }
  await session.phase("migrate", async () => {
    if (!config.deploy.migrations.run)
      return `checked: ${state.migrations}; not applied (deploy.migrations.run is false)`
    await driver.ensureInfrastructure()
    const result = await driver.migrate(release, state.id)
    const applied = parseApplied(result.stdout)
    if (applied.length > 0) await ledger.amend(state.id, { migrations: applied })
    if (result.exitCode !== 0)
      throw new DeployError("migrate", migrateFailure(config.deploy.migrations.command, result, applied))
    return `checked: ${state.migrations}; ${describeApplied(applied)}`
  })
  // Nothing on the host changes before this point: checks, then the backup, then the boot.
  const booted = await session
    .phase(
      "boot",
      async () => ({
        created: await driver.ensureInfrastructure(),
        names: await driver.boot(release, state.toColour, state.id, state.web),
      }),
      ({ created, names }) => [...created, `${names.join(", ")} (${state.toColour})`].join("; "),
    )
    .then((boot) => boot.names)
  const refusal = `the new release never became healthy, so it got no traffic; ${state.live.length ? "the old release keeps serving" : "nothing was serving before"}`
  await gateOrUndo(session, deps, env, release, booted, { undo: () => driver.remove(booted), refusal })
  const liveNames = state.live.map((c) => c.name)
  await switchTraffic(
    session,
    state.id,
    booted,
    liveNames,
    `live → ${state.toColour} (${booted.length} replica${booted.length === 1 ? "" : "s"})`,
  )
  const watched = await watchLive(session, deps, env, release, (report) =>
    report.ok
      ? `healthy for ${formatDuration(report.elapsedMs)} (${report.attempts} probes)`
      : `failed after ${formatDuration(report.failedAtMs)}`,
  )
  if (!watched.ok) {
    const reason = `health failed ${formatDuration(watched.failedAtMs)} after the switch: ${watched.last.at(-1)?.error ?? "unhealthy"}`
    if (liveNames.length > 0) {
      await switchBack(session, liveNames, booted, { back: state.live[0]!.colour, failed: release.short })
      return {
        result: "rolled_back",
        summary: `rolled back: ${reason}; ${state.live[0]!.digest} serves again`,
        error: reason,
      }
    }
    throw new DeployError("health-gate", `${reason}; there was no earlier release to switch back to`)
  }
  // The old release was the route's fallback through the watch: out of the route first, then stopped.
  await retire(session, config, release, booted, liveNames)
  return { result: "succeeded", summary: `${release.digest} is live in ${env.name} (${state.toColour})` }
}

/** Why the migrate step failed, what stays applied, and what to do next. */
export function migrateFailure(
  command: readonly string[],
  result: { exitCode: number; stdout: string; stderr: string },
  applied: readonly AppliedMigration[],
): string {
  const failed = failedMigration(result.stdout)
  const said = `${result.stdout}\n${result.stderr}`
    .trim()
    .split("\n")
    .filter((line) => line.trim() !== "")
    .slice(-10)
    .join("\n")
  return [
    `the migrate command \`${command.join(" ")}\` exited ${result.exitCode}${failed ? ` while applying ${failed}` : ""}; the new release was not booted and the old one keeps serving`,
    applied.length
      ? `${describeApplied(applied)} before that; each ran in its own transaction, so they stay applied (the old release must tolerate them, as it does for every expand step)`
      : "no migration was applied",
    ...(said ? [said] : []),
    "next: fix the migration and deploy again; a lock_timeout or statement_timeout error means the database was busy: retry when it is quieter, or raise deploy.migrations.lock_timeout",
  ].join("\n")
}
