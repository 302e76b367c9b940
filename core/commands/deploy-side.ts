/**
 * What a deploy-side command (deploy, rollback, scale, restore, status, history, lock status and
 * release) needs besides the environment and its arguments: the engine's dependencies, made only
 * when the command gets that far, the operations it runs, and whether to print causes. Each surface
 * fills it (core/cli/run/deploy.ts with this machine, core/dagger/commands.ts with containers); the
 * specs fill it with fakes, so a command is formatting and error mapping, tested with no engine.
 * It imports only types and outcome.ts: loading it loads no library.
 */
import type { Environment } from "../config/load.js"
import type { deploy } from "../deploy/deploy.js"
import type { lockStatus, readHistory, readStatus } from "../deploy/inspect.js"
import type { restore } from "../deploy/restore.js"
import type { rollback } from "../deploy/rollback.js"
import type { scale } from "../deploy/scale.js"
import type { EngineDeps } from "../deploy/session.js"
import type { buildSource } from "../deploy/source-build.js"
import type { ForceReleaseResult } from "../ledger/lock/force.js"
import { type Outcome, jsonDocument, success } from "./outcome.js"

/** Frees an environment's lock in its owner's name (DeployLock.forceRelease). */
export type ReleaseLock = (
  env: Environment,
  deps: EngineDeps,
  options: { reason: string; terminate: boolean },
) => Promise<ForceReleaseResult>

/** The engine's operations, as core/deploy exports them (operations.ts has the real ones). */
export interface Operations {
  deploy: typeof deploy
  rollback: typeof rollback
  scale: typeof scale
  restore: typeof restore
  readStatus: typeof readStatus
  readHistory: typeof readHistory
  lockStatus: typeof lockStatus
  releaseLock: ReleaseLock
  buildSource: typeof buildSource
}

export interface DeploySide {
  /** Builds the engine's dependencies (resolving secrets, starting host services); called inside the error handling. */
  engine: () => Promise<EngineDeps>
  ops: Operations
  /** DEPLOY_PIPELINE_DEBUG: failures also print their causes. */
  debug: boolean
}

/** Arguments every command that takes the lock shares. */
export interface LockingArgs {
  /** Who asks, for the ledger. */
  requestedBy: string
  /** Seconds to wait for another deploy's lock; default the environment's deploy.lock_wait. */
  lockWaitSeconds?: number | undefined
  json?: boolean | undefined
}

/** The request field for a lock wait given in seconds (both surfaces take seconds; the engine takes ms). */
export function lockWait(seconds: number | undefined): { lockWaitMs?: number } {
  return seconds === undefined ? {} : { lockWaitMs: seconds * 1000 }
}

/** Each warning on its own line after the summary. */
export function warningLines(warnings: readonly string[]): string {
  return warnings.map((w) => `\nwarning: ${w}`).join("")
}

/** What a command did: `value` as one JSON document under --json, else the text. */
export function shown(json: boolean | undefined, value: unknown, text: () => string): Outcome {
  return json ? jsonDocument(true, JSON.stringify(value, null, 2)) : success(text())
}
