/**
 * The CLI's deploy-side commands: deploy, rollback, scale, status, history, lock status|release,
 * backup restore. Each loads one validated environment, builds the local engine and prints what
 * happened.
 */
import { selectEnvironments } from "../commands/environments.js"
import { type Outcome, failure, jsonDocument, success } from "../commands/outcome.js"
import type { Environment } from "../config/load.js"
import { readEnvironmentDir } from "../config/read-dir.js"
import { deploy } from "../deploy/deploy.js"
import { lockStatus, readHistory, readStatus } from "../deploy/inspect.js"
import { restore } from "../deploy/restore.js"
import { rollback } from "../deploy/rollback.js"
import { scale } from "../deploy/scale.js"
import { renderHistory, renderStatus } from "../deploy/status.js"
import { DeployLock } from "../ledger/lock/lock.js"
import { readSqlInputs } from "../migrations/read-inputs.js"
import { localEngine, requester } from "./engine.js"
import { knownFailure } from "./known-errors.js"

export interface DeployCliOptions {
  dir: string
  env: string
  image?: string
  version?: string
  approve?: string
  commit?: string
  lockWaitSeconds?: number
  to?: string
  json?: boolean
  force?: boolean
  reason?: string
  /** A folder (or file) of the pending migrations' sqlmigrate output, checked before the deploy. */
  migrations?: string
  allowUnsafeMigrations?: string
  service?: string
  replicas?: number
  /** backup restore: the backup id, and the same id again as the confirmation. */
  id?: string
  confirmRestore?: string
  log: (line: string) => void
}

async function loadOne(dir: string, env: string): Promise<Environment | Outcome> {
  const selected = selectEnvironments(await readEnvironmentDir(dir), dir, env)
  return selected.ok ? selected.environments[0]! : selected.outcome
}

/** Known failures become a failed outcome with their code and message; anything else is a bug and propagates. */
async function guarded(work: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await work()
  } catch (error) {
    return knownFailure(error)
  }
}

/** What a command did: `value` as one JSON document under --json, else the text. */
function shown(json: boolean | undefined, value: unknown, text: () => string): Outcome {
  return json ? jsonDocument(true, JSON.stringify(value, null, 2)) : success(text())
}

export async function deployCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  if (!options.image) return failure("missing-option", "deploy needs --image REF (repo@sha256:… as publish prints it)")
  return guarded(async () => {
    // Without --migrations the deploy reads them from the release where the gate is enforced.
    const migrations = options.migrations ? { migrations: await readSqlInputs([options.migrations]) } : {}
    const outcome = await deploy(
      { env, image: options.image!, requestedBy: requester(), ...migrations, ...(options.allowUnsafeMigrations ? { allowUnsafeMigrations: options.allowUnsafeMigrations } : {}), ...(options.version ? { version: options.version } : {}), ...(options.approve ? { approve: options.approve } : {}), ...(options.commit ? { commit: options.commit } : {}), ...(options.lockWaitSeconds !== undefined ? { lockWaitMs: options.lockWaitSeconds * 1000 } : {}) },
      () => localEngine(env, options.log),
    )
    const succeeded = outcome.result === "succeeded"
    if (options.json) return jsonDocument(succeeded, JSON.stringify(outcome, null, 2))
    const text = `deploy #${outcome.id} ${outcome.result}: ${outcome.summary} (${(outcome.durationMs / 1000).toFixed(1)} s)${outcome.warnings.map((w) => `\nwarning: ${w}`).join("")}`
    return succeeded ? success(text) : failure("rolled-back", text)
  })
}

export async function rollbackCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  return guarded(async () => {
    const outcome = await rollback({ env, requestedBy: requester(), ...(options.to ? { to: options.to } : {}), ...(options.lockWaitSeconds !== undefined ? { lockWaitMs: options.lockWaitSeconds * 1000 } : {}) }, await localEngine(env, options.log))
    return shown(options.json, outcome, () => `rollback #${outcome.id}: ${outcome.summary}${outcome.warnings.map((w) => `\nwarning: ${w}`).join("")}`)
  })
}

export async function scaleCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  if (!options.service || options.replicas === undefined) return failure("missing-option", "scale needs --service web --replicas N")
  return guarded(async () => {
    const outcome = await scale({ env, service: options.service!, replicas: options.replicas!, requestedBy: requester(), ...(options.lockWaitSeconds !== undefined ? { lockWaitMs: options.lockWaitSeconds * 1000 } : {}) }, await localEngine(env, options.log))
    return shown(options.json, outcome, () => `scale #${outcome.id}: ${outcome.summary}`)
  })
}

export async function restoreCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  if (!options.id) return failure("missing-option", "backup restore needs --id ID (the backup column of deploy-pipeline history) and --confirm-restore ID")
  return guarded(async () => {
    const outcome = await restore({ env, id: options.id!, ...(options.confirmRestore !== undefined ? { confirm: options.confirmRestore } : {}), requestedBy: requester(), ...(options.lockWaitSeconds !== undefined ? { lockWaitMs: options.lockWaitSeconds * 1000 } : {}) }, await localEngine(env, options.log))
    return shown(options.json, outcome, () => `restore #${outcome.id}: ${outcome.summary}`)
  })
}

export async function statusCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  return guarded(async () => {
    const status = await readStatus(env, await localEngine(env, options.log))
    return shown(options.json, status, () => renderStatus(status))
  })
}

export async function historyCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  return guarded(async () => {
    const records = await readHistory(env, await localEngine(env, options.log))
    return shown(options.json, records, () => renderHistory(records))
  })
}

export async function lockCommand(action: "status" | "release", options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  return guarded(async () => {
    const deps = await localEngine(env, options.log)
    if (action === "status") {
      const status = await lockStatus(env, deps)
      return shown(options.json, status, () => renderStatus({ env: env.name, current: null, previousStable: null, lock: status, containers: [] }).split("\n").find((l) => l.includes("lock"))!.trim())
    }
    const released = await new DeployLock({ connect: deps.connectLedger, schema: env.config.ledger.schema }).forceRelease(env.name, { actor: deps.owner, reason: options.reason ?? "released by hand", terminate: options.force === true })
    // The release record is JSON with or without --json, as it always was.
    return jsonDocument(true, JSON.stringify(released, null, 2))
  })
}
