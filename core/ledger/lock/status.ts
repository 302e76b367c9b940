/**
 * Reads an environment's lock: the visible row, checked against the advisory lock itself, so a
 * row left by a dead deployer reads as stale rather than held.
 */
import { deployLockKey } from "../keys.js"
import { lockHolderPidSql, sessionHoldsLockSql } from "../liveness.js"
import { type Queryable, ident } from "../sql.js"
import type { LockRow, LockStatus } from "./types.js"

interface StatusRow {
  owner_who: string | null
  owner_host: string
  owner_pid: number
  since: Date
  message: string
  backend_pid: number
  backend_start: Date
  alive: boolean
  holder_pid: number | null
}

/** The lock's status, or null when it is free and no row is left. */
export async function readLockStatus(db: Queryable, schema: string, env: string): Promise<LockStatus | null> {
  const [classid, objid] = deployLockKey(schema, env)
  const { rows } = await db.query<StatusRow>(
    `SELECT r.owner_who, r.owner_host, r.owner_pid, r.since, r.message, r.backend_pid, r.backend_start,
       r.owner_who IS NOT NULL AND ${sessionHoldsLockSql("r.backend_pid", "r.backend_start", "$2", "$3")} AS alive,
       ${lockHolderPidSql("$2", "$3")} AS holder_pid
     FROM (SELECT $1::text AS env) e LEFT JOIN ${ident(schema)}.locks r ON r.env = e.env`,
    [env, classid, objid],
  )
  const row = rows[0]
  if (row === undefined) return null
  if (row.owner_who !== null && row.alive) return { state: "held", row: lockRow(env, row, row.owner_who) }
  if (row.holder_pid !== null) return { state: "unrecorded", env, backendPid: row.holder_pid }
  if (row.owner_who !== null) return { state: "stale", row: lockRow(env, row, row.owner_who) }
  return null
}

function lockRow(env: string, row: StatusRow, who: string): LockRow {
  return {
    env,
    owner: { who, host: row.owner_host, pid: row.owner_pid },
    since: row.since,
    message: row.message,
    session: { backendPid: row.backend_pid, backendStart: row.backend_start },
  }
}
