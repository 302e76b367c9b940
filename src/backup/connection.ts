/**
 * How pg_dump and pg_restore reach a database without a password in argv (argv is visible to
 * every user through ps and /proc). A password goes in PGPASSWORD, in the child's environment
 * only; better still, `passfile` names a 0600 .pgpass file and PGPASSFILE points at it. The
 * argv always carries --no-password, so a missing password fails at once instead of prompting.
 */
import pg from "pg"

export interface PgConn {
  host: string
  port: number
  user: string
  database: string
  /** Passed as PGPASSWORD in the child's environment, never in argv. */
  password?: string
  /** Path of a .pgpass file (mode 0600), passed as PGPASSFILE; used when there is no password. */
  passfile?: string
}

/** --host/--port/--username/--no-password for a libpq tool. */
export function connectionArgs(conn: PgConn): string[] {
  return [`--host=${conn.host}`, `--port=${conn.port}`, `--username=${conn.user}`, "--no-password"]
}

/** The environment that carries the secret, if any. */
export function connectionEnv(conn: PgConn): Record<string, string> {
  if (conn.password !== undefined) return { PGPASSWORD: conn.password }
  if (conn.passfile !== undefined) return { PGPASSFILE: conn.passfile }
  return {}
}

/** The default client factory: a pg.Client for conn, connected, with its 'error' events caught. */
export async function connectPg(conn: PgConn): Promise<pg.Client> {
  const client = new pg.Client({ host: conn.host, port: conn.port, user: conn.user, database: conn.database, password: conn.password })
  client.on("error", () => undefined)
  await client.connect()
  return client
}
