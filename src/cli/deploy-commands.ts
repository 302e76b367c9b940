/**
 * The CLI's deploy-side commands: deploy, rollback, scale, status, history, lock status|release,
 * backup restore. Each loads one validated environment, builds the local engine and prints what
 * happened.
 */
import { selectEnvironments } from "../commands/environments.js"
import { type Outcome, failure, success } from "../commands/outcome.js"
import type { Environment } from "../config/load.js"
import { readEnvironmentDir } from "../config/read-dir.js"
import { deploy } from "../deploy/deploy.js"
import { DeployError } from "../deploy/errors.js"
import { UnpinnedImageError } from "../deploy/release.js"
import { lockStatus, readHistory, readStatus } from "../deploy/inspect.js"
import { restore } from "../deploy/restore.js"
import { rollback } from "../deploy/rollback.js"
import { scale } from "../deploy/scale.js"
import { renderHistory, renderStatus } from "../deploy/status.js"
import { SecretError } from "../exec/secrets.js"
import { LockHeldError } from "../ledger/lock/errors.js"
import { DeployLock } from "../ledger/lock/lock.js"
import { InputError, readSqlInputs } from "../migrations/read-inputs.js"
import { localEngine, requester } from "./engine.js"

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

/** Known failures become a failed outcome with their message; anything else is a bug and propagates. */
async function guarded(work: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof DeployError || error instanceof LockHeldError || error instanceof SecretError || error instanceof UnpinnedImageError || error instanceof InputError) return failure(error.message)
    throw error
  }
}

export async function deployCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  if (!options.image) return failure("deploy needs --image REF (repo@sha256:… as publish prints it)")
  return guarded(async () => {
    const migrations = options.migrations ? await readSqlInputs([options.migrations]) : []
    const outcome = await deploy(
      { env, image: options.image!, requestedBy: requester(), migrations, ...(options.allowUnsafeMigrations ? { allowUnsafeMigrations: options.allowUnsafeMigrations } : {}), ...(options.version ? { version: options.version } : {}), ...(options.approve ? { approve: options.approve } : {}), ...(options.commit ? { commit: options.commit } : {}), ...(options.lockWaitSeconds !== undefined ? { lockWaitMs: options.lockWaitSeconds * 1000 } : {}) },
      await localEngine(env, options.log),
    )
    const text = options.json ? JSON.stringify(outcome, null, 2) : `deploy #${outcome.id} ${outcome.result}: ${outcome.summary} (${(outcome.durationMs / 1000).toFixed(1)} s)${outcome.warnings.map((w) => `\nwarning: ${w}`).join("")}`
    return outcome.result === "succeeded" ? success(text) : failure(text)
  })
}

export async function rollbackCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  return guarded(async () => {
    const outcome = await rollback({ env, requestedBy: requester(), ...(options.to ? { to: options.to } : {}), ...(options.lockWaitSeconds !== undefined ? { lockWaitMs: options.lockWaitSeconds * 1000 } : {}) }, await localEngine(env, options.log))
    return success(options.json ? JSON.stringify(outcome, null, 2) : `rollback #${outcome.id}: ${outcome.summary}${outcome.warnings.map((w) => `\nwarning: ${w}`).join("")}`)
  })
}

export async function scaleCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  if (!options.service || options.replicas === undefined) return failure("scale needs --service web --replicas N")
  return guarded(async () => {
    const outcome = await scale({ env, service: options.service!, replicas: options.replicas!, requestedBy: requester(), ...(options.lockWaitSeconds !== undefined ? { lockWaitMs: options.lockWaitSeconds * 1000 } : {}) }, await localEngine(env, options.log))
    return success(options.json ? JSON.stringify(outcome, null, 2) : `scale #${outcome.id}: ${outcome.summary}`)
  })
}

export async function restoreCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  if (!options.id) return failure("backup restore needs --id ID (the backup column of deploy-pipeline history) and --confirm-restore ID")
  return guarded(async () => {
    const outcome = await restore({ env, id: options.id!, ...(options.confirmRestore !== undefined ? { confirm: options.confirmRestore } : {}), requestedBy: requester(), ...(options.lockWaitSeconds !== undefined ? { lockWaitMs: options.lockWaitSeconds * 1000 } : {}) }, await localEngine(env, options.log))
    return success(options.json ? JSON.stringify(outcome, null, 2) : `restore #${outcome.id}: ${outcome.summary}`)
  })
}

export async function statusCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  return guarded(async () => {
    const status = await readStatus(env, await localEngine(env, options.log))
    return success(options.json ? JSON.stringify(status, null, 2) : renderStatus(status))
  })
}

export async function historyCommand(options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  return guarded(async () => {
    const records = await readHistory(env, await localEngine(env, options.log))
    return success(options.json ? JSON.stringify(records, null, 2) : renderHistory(records))
  })
}

export async function lockCommand(action: "status" | "release", options: DeployCliOptions): Promise<Outcome> {
  const env = await loadOne(options.dir, options.env)
  if (!("config" in env)) return env
  return guarded(async () => {
    const deps = await localEngine(env, options.log)
    if (action === "status") {
      const status = await lockStatus(env, deps)
      return success(options.json ? JSON.stringify(status, null, 2) : renderStatus({ env: env.name, current: null, previousStable: null, lock: status, containers: [] }).split("\n").find((l) => l.includes("lock"))!.trim())
    }
    const released = await new DeployLock({ connect: deps.connectLedger, schema: env.config.ledger.schema }).forceRelease(env.name, { actor: deps.owner, reason: options.reason ?? "released by hand", terminate: options.force === true })
    return success(JSON.stringify(released, null, 2))
  })
}
