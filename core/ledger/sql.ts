/**
 * What the ledger needs from a Postgres connection, and safe quoting of the configured schema
 * name (config allows "-" in names, so it is always quoted, never pasted in bare).
 */
import type pg from "pg"

/** Anything that runs a parameterised query: a pg.Client, a pool client or a pg.Pool. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>
}

/** The schema name as a quoted SQL identifier: deploy_pipeline → "deploy_pipeline". */
export function ident(name: string): string {
  // What pg's escapeIdentifier does, without loading pg for it.
  return `"${name.replaceAll('"', '""')}"`
}
