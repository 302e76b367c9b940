/** The lock's audit trail: every operator release of someone else's lock leaves a row saying who and why. */
import type { Owner } from "../owner.js"
import { type Queryable, ident } from "../sql.js"
import type { LockStatus } from "./types.js"

export type LockEventKind = "force_released" | "cleared_stale"

export interface LockEvent {
  id: number
  env: string
  event: LockEventKind
  at: Date
  actor: Owner
  reason: string
  /** The status before the release, as JSON (dates as ISO strings). */
  holder: unknown
  terminatedBackendPid: number | null
}

export async function recordLockEvent(
  db: Queryable,
  schema: string,
  event: Omit<LockEvent, "id" | "holder"> & { holder: LockStatus },
): Promise<void> {
  await db.query(
    `INSERT INTO ${ident(schema)}.lock_events (env, event, at, actor_who, actor_host, actor_pid, reason, holder, terminated_backend_pid)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)`,
    [
      event.env,
      event.event,
      event.at,
      event.actor.who,
      event.actor.host,
      event.actor.pid,
      event.reason,
      JSON.stringify(event.holder),
      event.terminatedBackendPid,
    ],
  )
}

export async function readLockEvents(db: Queryable, schema: string, env: string): Promise<LockEvent[]> {
  const { rows } = await db.query<{
    id: string
    env: string
    event: LockEventKind
    at: Date
    actor_who: string
    actor_host: string
    actor_pid: number
    reason: string
    holder: unknown
    terminated_backend_pid: number | null
  }>(`SELECT * FROM ${ident(schema)}.lock_events WHERE env = $1 ORDER BY id`, [env])
  return rows.map((row) => ({
    id: Number(row.id),
    env: row.env,
    event: row.event,
    at: row.at,
    actor: { who: row.actor_who, host: row.actor_host, pid: row.actor_pid },
    reason: row.reason,
    holder: row.holder,
    terminatedBackendPid: row.terminated_backend_pid,
  }))
}
