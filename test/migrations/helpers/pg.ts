/**
 * Real Postgres for the migration tests: the server at 127.0.0.1:5432 (trust auth). Each test
 * database gets a unique name and is dropped afterwards, so parallel runs and other suites never
 * share one.
 */
import { randomBytes } from "node:crypto"
import { type Connection, connect, quoteIdent, withDatabase } from "../../../core/migrations/pg-client.js"

export const SERVER_URL = process.env["DP_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres"

export interface TestDatabase {
  name: string
  url: string
  /** A connection for setup and assertions; closed by drop(). */
  db: Connection
  drop(): Promise<void>
}

export async function createTestDatabase(ddl = ""): Promise<TestDatabase> {
  const name = `dp_test_mig_${process.pid}_${randomBytes(4).toString("hex")}`
  const admin = await connect(SERVER_URL, "deploy-pipeline-test")
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`)
  } finally {
    await admin.end()
  }
  const url = withDatabase(SERVER_URL, name)
  const db = await connect(url, "deploy-pipeline-test")
  // pg_dump output empties search_path for the session; later queries expect the default.
  if (ddl) await db.query(`${ddl};\nRESET ALL`)
  return {
    name,
    url,
    db,
    drop: async () => {
      await db.end()
      const again = await connect(SERVER_URL, "deploy-pipeline-test")
      try {
        await again.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
      } finally {
        await again.end()
      }
    },
  }
}

/** Databases on the server whose name starts with `prefix` (to prove scratch copies were dropped). */
export async function databasesLike(prefix: string): Promise<string[]> {
  const admin = await connect(SERVER_URL, "deploy-pipeline-test")
  try {
    return (
      await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1",
        [prefix],
      )
    ).rows.map((r) => r.datname)
  } finally {
    await admin.end()
  }
}
