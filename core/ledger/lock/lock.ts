/**
 * The deploy lock of an environment: a session-level Postgres advisory lock held on a dedicated
 * connection for the whole deploy, plus a visible row saying who holds it and why. When the
 * deployer dies its connection closes and the lock goes with it, so there are no stale locks to
 * clean up by hand. Connections come from the injected `connect`; time from the injected clock.
 */
import type pg from "pg"
import { type Clock, type Sleep, dateAt, realSleep, systemClock } from "../../time/clock.js"
import type { Owner } from "../owner.js"
import { tryAcquire } from "./attempt.js"
import { LockHeldError } from "./errors.js"
import { type ForceReleaseOptions, type ForceReleaseResult, forceRelease } from "./force.js"
import { ConnectionWatch, lockHandle } from "./handle.js"
import { lockHeldMessage } from "./messages.js"
import { readLockStatus } from "./status.js"
import type { AcquireOptions, LockHandle, LockStatus } from "./types.js"

export interface DeployLockOptions {
  /** Opens a new connection to the ledger database; the lock keeps one open per holder. */
  connect: () => Promise<pg.Client>
  /** The ledger schema (config ledger.schema), already migrated. */
  schema: string
  clock?: Clock
  sleep?: Sleep
}

export class DeployLock {
  private readonly connect: () => Promise<pg.Client>
  private readonly clock: Clock
  private readonly sleep: Sleep
  readonly schema: string

  constructor(options: DeployLockOptions) {
    this.connect = options.connect
    this.schema = options.schema
    this.clock = options.clock ?? systemClock
    this.sleep = options.sleep ?? realSleep
  }

  /**
   * Takes the environment's lock, trying every pollMs for up to waitMs while another holds it;
   * then fails with LockHeldError naming the holder.
   */
  async acquire(env: string, owner: Owner, message: string, options: AcquireOptions): Promise<LockHandle> {
    const watch = new ConnectionWatch(await this.connect())
    try {
      const started = this.clock.now()
      for (;;) {
        const since = dateAt(this.clock)
        const attempt = await tryAcquire(watch.client, this.schema, env, owner, message, since)
        if (attempt.ok) return lockHandle(watch, this.schema, env, owner, message, since, attempt.session)
        const waited = this.clock.now() - started
        if (waited >= options.waitMs) {
          const status: LockStatus = attempt.status ?? { state: "unrecorded", env, backendPid: null }
          throw new LockHeldError(env, status, lockHeldMessage(env, status, dateAt(this.clock)))
        }
        await this.sleep(Math.max(1, Math.min(options.pollMs, options.waitMs - waited)))
      }
    } catch (error) {
      await watch.close()
      throw error
    }
  }

  /** Who holds the lock (held), a row whose session is gone (stale), or null when free. */
  async status(env: string): Promise<LockStatus | null> {
    return this.withConnection((client) => readLockStatus(client, this.schema, env))
  }

  /** Operator release of someone else's lock; see force.ts. */
  async forceRelease(env: string, options: ForceReleaseOptions): Promise<ForceReleaseResult> {
    return this.withConnection((client) => forceRelease(client, this.schema, env, options, this.clock, this.sleep))
  }

  private async withConnection<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
    const watch = new ConnectionWatch(await this.connect())
    try {
      return await use(watch.client)
    } finally {
      await watch.close()
    }
  }
}
