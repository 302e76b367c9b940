/**
 * A scratch copy of the target's schema on the same server: a new database with a unique name,
 * loaded from `pg_dump --schema-only` of the target, dropped when the trace is done. A schema-only
 * copy is enough: a rewrite changes the relfilenode even of an empty table.
 */
import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { blankMetaCommands } from "../parse.js"
import { connect, databaseOf, quoteIdent, withDatabase } from "../pg-client.js"

/** Produces the target's schema as SQL; the default runs pg_dump, tests may pass their own. */
export type SchemaDumper = (url: string) => Promise<string>

export const SCRATCH_PREFIX = "dp_trace_"

export const pgDumpSchema: SchemaDumper = (url) =>
  new Promise((resolve, reject) => {
    execFile("pg_dump", ["--schema-only", "--no-owner", "--no-privileges", "--dbname", url], { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout)
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT"
      reject(new Error(missing ? "pg_dump is not installed; install the PostgreSQL client of the target's major version, or trace --in-place on a scratch database you restored yourself" : `pg_dump failed: ${stderr.trim() || error.message}`))
    })
  })

export interface ScratchCopy {
  url: string
  name: string
  drop(): Promise<void>
}

export async function createScratchCopy(targetUrl: string, dump: SchemaDumper = pgDumpSchema): Promise<ScratchCopy> {
  const ddl = blankMetaCommands(await dump(targetUrl))
  const name = `${SCRATCH_PREFIX}${databaseOf(targetUrl).replace(/[^a-z0-9_]/gi, "").slice(0, 20)}_${randomBytes(5).toString("hex")}`
  const admin = await connect(targetUrl, "deploy-pipeline-scratch")
  const url = withDatabase(targetUrl, name)
  const drop = async () => {
    const conn = await connect(targetUrl, "deploy-pipeline-scratch")
    try {
      await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`)
    } finally {
      await conn.end()
    }
  }
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`)
  } finally {
    await admin.end()
  }
  try {
    const scratch = await connect(url, "deploy-pipeline-scratch")
    try {
      await scratch.query(ddl)
    } finally {
      await scratch.end()
    }
  } catch (error) {
    await drop()
    throw new Error(`could not load the target's schema into a scratch database: ${(error as Error).message}`)
  }
  return { url, name, drop }
}
