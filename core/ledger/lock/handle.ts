/**
 * The holder's side of the lock: the dedicated connection stays open for the whole deploy, and
 * this object watches it. If Postgres ends that session (a crash, a network cut, an operator's
 * force-release) the lock is gone, and lost()/assertHeld() say so before the next step.
 */
import type pg from "pg"
import type { Owner } from "../owner.js"
import type { LockSession } from "../record.js"
import { giveBack } from "./attempt.js"
import { LockLostError } from "./errors.js"
import { lockLostMessage } from "./messages.js"
import type { LockHandle } from "./types.js"

/** Watches a connection for an early end; attach before the first query so no 'error' goes unheard. */
export class ConnectionWatch {
  private error: Error | null = null
  private closing = false

  constructor(readonly client: pg.Client) {
    client.on("error", (error: Error) => {
      this.error ??= error
    })
    client.on("end", () => {
      if (!this.closing) this.error ??= new Error("the connection ended")
    })
  }

  lost(): Error | null {
    return this.error
  }

  async close(): Promise<void> {
    this.closing = true
    await this.client.end().catch(() => undefined)
  }
}

export function lockHandle(
  watch: ConnectionWatch,
  schema: string,
  env: string,
  owner: Owner,
  message: string,
  since: Date,
  session: LockSession,
): LockHandle {
  let released: Promise<void> | undefined
  const release = async (): Promise<void> => {
    try {
      if (watch.lost() === null) await giveBack(watch.client, schema, env)
    } catch {
      // Closing the connection below releases the advisory lock anyway; a row left behind reads as stale.
    } finally {
      await watch.close()
    }
  }
  return {
    env,
    owner,
    since,
    message,
    session,
    lost: () => (released === undefined ? watch.lost() : null),
    assertHeld() {
      const error = watch.lost()
      if (released !== undefined) throw new LockLostError(env, lockLostMessage(env, "released by this process"))
      if (error !== null) throw new LockLostError(env, lockLostMessage(env, error.message), { cause: error })
    },
    release: () => (released ??= release()),
  }
}
