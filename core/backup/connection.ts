/**
 * How pg_dump and pg_restore reach a database without a password in argv (argv is visible to
 * every user through ps and /proc). A password goes in PGPASSWORD, in the child's environment
 * only, and only as a secret the executor supplies by name; or `passfile` names a 0600 .pgpass
 * file and PGPASSFILE points at it. The argv always carries --no-password, so a missing
 * password fails at once instead of prompting.
 */
import type pg from "pg"
import type { ExecOptions } from "../exec/types.js"

export interface PgConn {
  host: string
  port: number
  user: string
  database: string
  /** For this process's connections; tools get it as the executor's PGPASSWORD secret, never in argv. */
  password?: string
  /** Path of a .pgpass file (mode 0600), passed as PGPASSFILE; used when there is no password. */
  passfile?: string
}

/** --host/--port/--username/--no-password for a libpq tool. */
export function connectionArgs(conn: PgConn): string[] {
  return [`--host=${conn.host}`, `--port=${conn.port}`, `--username=${conn.user}`, "--no-password"]
}

/** The secret libpq's tools read the password from; the executor supplies it (see connectionExec). */
export const PASSWORD_SECRET = "PGPASSWORD"

/**
 * How a tool gets its credentials: with a password, it asks the executor for the secret
 * PGPASSWORD by name (ExecOptions.secretEnv), so the value never travels with the command: the
 * local executor fills it in through withSecrets, the Dagger one maps it to a Dagger Secret. A
 * passfile is only a path, so it goes as plain PGPASSFILE.
 */
export function connectionExec(conn: PgConn): Pick<ExecOptions, "env" | "secretEnv"> {
  if (conn.password !== undefined) return { secretEnv: [PASSWORD_SECRET] }
  if (conn.passfile !== undefined) return { env: { PGPASSFILE: conn.passfile } }
  return {}
}

/** The default client factory: a pg.Client for conn, connected, with its 'error' events caught. */
export async function connectPg(conn: PgConn): Promise<pg.Client> {
  const { default: pgModule } = await import("pg")
  const client = new pgModule.Client({
    host: conn.host,
    port: conn.port,
    user: conn.user,
    database: conn.database,
    password: conn.password,
  })
  client.on("error", () => undefined)
  await client.connect()
  return client
}
