/**
 * One try at the lock, in one short transaction on the dedicated connection. The row lock is
 * taken before the advisory lock, and whoever fails reads the row while holding that row lock,
 * so a waiter always sees the winner's row (never a half-written one) and names the right holder.
 * The advisory lock is session-level: it outlives this transaction and ends with the connection.
 */
import type pg from "pg"
import type { Owner } from "../owner.js"
import type { LockSession } from "../record.js"
import { deployLockKey } from "../keys.js"
import { OWN_SESSION_SQL } from "../liveness.js"
import { ident } from "../sql.js"
import { readLockStatus } from "./status.js"
import type { LockStatus } from "./types.js"

export type Attempt = { ok: true; session: LockSession } | { ok: false; status: LockStatus | null }

export async function tryAcquire(
  client: pg.ClientBase,
  schema: string,
  env: string,
  owner: Owner,
  message: string,
  since: Date,
): Promise<Attempt> {
  const s = ident(schema)
  const [classid, objid] = deployLockKey(schema, env)
  let got = false
  await client.query("BEGIN")
  try {
    await client.query(`INSERT INTO ${s}.locks (env) VALUES ($1) ON CONFLICT (env) DO NOTHING`, [env])
    await client.query(`SELECT 1 FROM ${s}.locks WHERE env = $1 FOR UPDATE`, [env])
    const { rows } = await client.query<{ got: boolean; backend_pid: number; backend_start: Date }>(
      `SELECT pg_try_advisory_lock($1, $2) AS got, own.backend_pid, own.backend_start FROM (${OWN_SESSION_SQL}) own`,
      [classid, objid],
    )
    const row = rows[0]
    got = row?.got === true
    if (row === undefined || !got) {
      const status = await readLockStatus(client, schema, env)
      await client.query("COMMIT")
      return { ok: false, status }
    }
    await client.query(
      `UPDATE ${s}.locks SET owner_who = $2, owner_host = $3, owner_pid = $4, since = $5, message = $6, backend_pid = $7, backend_start = $8 WHERE env = $1`,
      [env, owner.who, owner.host, owner.pid, since, message, row.backend_pid, row.backend_start],
    )
    await client.query("COMMIT")
    return { ok: true, session: { backendPid: row.backend_pid, backendStart: row.backend_start } }
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined)
    if (got) await client.query("SELECT pg_advisory_unlock($1, $2)", [classid, objid]).catch(() => undefined)
    throw error
  }
}

/** Gives the lock back: unlock and clear our row in one transaction, under the row lock. */
export async function giveBack(client: pg.ClientBase, schema: string, env: string): Promise<void> {
  const s = ident(schema)
  const [classid, objid] = deployLockKey(schema, env)
  await client.query("BEGIN")
  try {
    await client.query(`SELECT 1 FROM ${s}.locks WHERE env = $1 FOR UPDATE`, [env])
    await client.query("SELECT pg_advisory_unlock($1, $2)", [classid, objid])
    await client.query(
      `UPDATE ${s}.locks SET owner_who = NULL, owner_host = NULL, owner_pid = NULL, since = NULL, message = NULL, backend_pid = NULL, backend_start = NULL
       WHERE env = $1 AND backend_pid = pg_backend_pid()`,
      [env],
    )
    await client.query("COMMIT")
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined)
    throw error
  }
}
