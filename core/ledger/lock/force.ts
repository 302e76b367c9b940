/**
 * The operator's "lock release --env": frees a lock that someone else holds. A stale row is just
 * cleared. A live holder's session is ended with pg_terminate_backend, and only when the caller
 * passes terminate: true (the CLI's --force), because that aborts their deploy mid-way. Either
 * way the act is recorded in lock_events, and the holder's unfinished ledger records are aborted.
 */
import { type Clock, type Sleep, dateAt } from "../../time/clock.js"
import { deployLockKey } from "../keys.js"
import { Ledger } from "../ledger.js"
import { lockHolderPidSql, sessionHoldsLockSql } from "../liveness.js"
import type { Owner } from "../owner.js"
import type { DeployRecord } from "../record.js"
import { type Queryable, ident } from "../sql.js"
import { LockForceRequiredError, LockReleaseTimeoutError } from "./errors.js"
import { type LockEventKind, recordLockEvent } from "./events.js"
import { forceRequiredMessage, holderStillAliveMessage } from "./messages.js"
import { readLockStatus } from "./status.js"
import type { LockStatus } from "./types.js"

export interface ForceReleaseOptions {
  actor: Owner
  reason: string
  /** End a live holder's Postgres session; without it a held lock is refused with LockForceRequiredError. */
  terminate: boolean
  /** How long to wait for the terminated session to let go (default 10 s). */
  timeoutMs?: number
}

export interface ForceReleaseResult {
  before: LockStatus | null
  event: LockEventKind | null
  terminatedBackendPid: number | null
  aborted: DeployRecord[]
}

export async function forceRelease(
  db: Queryable,
  schema: string,
  env: string,
  options: ForceReleaseOptions,
  clock: Clock,
  sleep: Sleep,
): Promise<ForceReleaseResult> {
  const ledger = new Ledger(db, schema, clock)
  const before = await readLockStatus(db, schema, env)
  if (before === null) return { before, event: null, terminatedBackendPid: null, aborted: await ledger.abortStale(env) }
  let terminated: number | null = null
  if (before.state !== "stale") {
    if (!options.terminate)
      throw new LockForceRequiredError(env, before, forceRequiredMessage(env, before, dateAt(clock)))
    terminated = before.state === "held" ? before.row.session.backendPid : before.backendPid
    if (terminated !== null) await terminate(db, schema, env, terminated, options.timeoutMs ?? 10_000, clock, sleep)
  }
  const [classid, objid] = deployLockKey(schema, env)
  await db.query(
    `UPDATE ${ident(schema)}.locks SET owner_who = NULL, owner_host = NULL, owner_pid = NULL, since = NULL, message = NULL, backend_pid = NULL, backend_start = NULL
     WHERE env = $1 AND owner_who IS NOT NULL AND NOT ${sessionHoldsLockSql("backend_pid", "backend_start", "$2", "$3")}`,
    [env, classid, objid],
  )
  const event: LockEventKind = before.state === "stale" ? "cleared_stale" : "force_released"
  await recordLockEvent(db, schema, {
    env,
    event,
    at: dateAt(clock),
    actor: options.actor,
    reason: options.reason,
    holder: before,
    terminatedBackendPid: terminated,
  })
  return { before, event, terminatedBackendPid: terminated, aborted: await ledger.abortStale(env) }
}

/** Ends the session and waits until it no longer holds the lock (termination is asynchronous). */
async function terminate(
  db: Queryable,
  schema: string,
  env: string,
  pid: number,
  timeoutMs: number,
  clock: Clock,
  sleep: Sleep,
): Promise<void> {
  const [classid, objid] = deployLockKey(schema, env)
  await db.query("SELECT pg_terminate_backend($1)", [pid])
  const started = clock.now()
  for (;;) {
    const { rows } = await db.query<{ holder: number | null }>(`SELECT ${lockHolderPidSql("$1", "$2")} AS holder`, [
      classid,
      objid,
    ])
    if (rows[0]?.holder !== pid) return
    const waited = clock.now() - started
    if (waited >= timeoutMs) throw new LockReleaseTimeoutError(env, pid, holderStillAliveMessage(env, pid, waited))
    await sleep(Math.min(50, timeoutMs - waited))
  }
}
