/** The deploy lock's vocabulary: the visible lock row, what status reports, and the handle a holder gets. */
import type { Owner } from "../owner.js"
import type { LockSession } from "../record.js"

/** The visible lock row of an environment, as its holder wrote it. */
export interface LockRow {
  env: string
  owner: Owner
  since: Date
  message: string
  session: LockSession
}

/**
 * held: the row's session holds the advisory lock.
 * stale: a row is left but its session is gone (the lock is free; the next acquire overwrites it).
 * unrecorded: some session holds the advisory lock without a matching row (not a deploy-pipeline
 * deployer); backendPid is null if it let go while we looked.
 */
export type LockStatus =
  | { state: "held"; row: LockRow }
  | { state: "stale"; row: LockRow }
  | { state: "unrecorded"; env: string; backendPid: number | null }

export interface AcquireOptions {
  /** How long to keep trying while someone else holds the lock; 0 tries once. */
  waitMs: number
  /** Pause between tries. */
  pollMs: number
}

export interface LockHandle {
  readonly env: string
  readonly owner: Owner
  readonly since: Date
  readonly message: string
  /** The dedicated connection's identity; the ledger stores it to tell live deploys from dead ones. */
  readonly session: LockSession
  /** The error that closed the lock connection early (the lock is gone with it), or null. */
  lost(): Error | null
  /** Throws LockLostError if the lock connection has gone; call before irreversible steps. */
  assertHeld(): void
  /** Clears the row, unlocks and closes the connection. Idempotent; never throws. */
  release(): Promise<void>
}
