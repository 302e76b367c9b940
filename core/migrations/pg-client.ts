/**
 * The one place that opens Postgres connections (node-postgres). Everything else takes a
 * `Queryable`, so tests can hand in a client they own and the pure parts never see `pg`.
 */
import type pg from "pg"

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount?: number | null }>
}

export interface Connection extends Queryable {
  end(): Promise<void>
  /** The server process id of this connection, for pg_locks. */
  readonly processID: number
}

/** Connects with an application_name, so the tracer can find this session in pg_locks and pg_stat_activity. */
export async function connect(url: string, applicationName = "deploy-pipeline"): Promise<Connection> {
  // pg is loaded when a connection is made: a module call that connects to nothing never pays for it.
  const { default: pgModule } = await import("pg")
  const client: pg.Client = new pgModule.Client({ connectionString: url, application_name: applicationName })
  // An error on an idle connection (server restart) must not crash the process; the next query reports it.
  client.on("error", () => undefined)
  await client.connect()
  const pid = (client as unknown as { processID: number }).processID
  return {
    query: async (text, values) => client.query(text, values) as never,
    end: () => client.end(),
    processID: pid,
  }
}

/** The same server with another database: the tracer's scratch copies live next to the target. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.toString()
}

/** The database a URL names (`postgres://…/app` → `app`). */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres"
}

/** An identifier quoted for SQL text (pg's own escapeIdentifier rules). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** A `schema.name` relation key quoted for SQL text. */
export function quoteKey(key: string): string {
  return `${quoteIdent(key.slice(0, key.indexOf(".")))}.${quoteIdent(key.slice(key.indexOf(".") + 1))}`
}
