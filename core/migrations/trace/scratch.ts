/**
 * A scratch copy of the target on the same server: a new database with a unique name, loaded
 * from `pg_dump` of the target's schema with a sample of its rows (see sample.ts), dropped when
 * the trace is done. The sample is what makes a statement that fails on data fail in the trace;
 * a rewrite shows on a table of any size, since it changes the relfilenode.
 */
import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { blankMetaCommands } from "../parse.js"
import { connect, databaseOf, quoteIdent, withDatabase } from "../pg-client.js"
import { SAMPLE_ROWS, type SampleResult, copySample } from "./sample.js"

/**
 * Produces the target's schema as SQL, one pg_dump section at a time: pre-data (types, tables,
 * functions), then post-data (indexes, constraints, triggers). The default runs pg_dump; tests may
 * pass their own.
 */
export type SchemaDumper = (url: string, section: "pre-data" | "post-data") => Promise<string>

export const SCRATCH_PREFIX = "dp_trace_"

export const pgDumpSchema: SchemaDumper = (url, section) =>
  new Promise((resolve, reject) => {
    execFile(
      "pg_dump",
      [`--section=${section}`, "--no-owner", "--no-privileges", "--dbname", url],
      { maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout)
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT"
        reject(
          new Error(
            missing
              ? "pg_dump is not installed; install the PostgreSQL client of the target's major version, or trace --in-place on a scratch database you restored yourself"
              : `pg_dump failed: ${stderr.trim() || error.message}`,
          ),
        )
      },
    )
  })

export interface ScratchCopy {
  url: string
  name: string
  /** The rows copied from the target. */
  sample: SampleResult
  drop(): Promise<void>
}

export interface ScratchOptions {
  dump?: SchemaDumper
  /** Rows copied per table (default SAMPLE_ROWS); 0 copies the schema alone. */
  sampleRows?: number
}

export async function createScratchCopy(targetUrl: string, options: ScratchOptions = {}): Promise<ScratchCopy> {
  const dump = options.dump ?? pgDumpSchema
  const [preData, postData] = [
    blankMetaCommands(await dump(targetUrl, "pre-data")),
    blankMetaCommands(await dump(targetUrl, "post-data")),
  ]
  const name = `${SCRATCH_PREFIX}${databaseOf(targetUrl)
    .replace(/[^a-z0-9_]/gi, "")
    .slice(0, 20)}_${randomBytes(5).toString("hex")}`
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
    const source = await connect(targetUrl, "deploy-pipeline-scratch")
    try {
      await load(scratch, preData)
      const sample =
        options.sampleRows === 0
          ? { rows: [], skipped: [] }
          : await copySample(source, scratch, options.sampleRows ?? SAMPLE_ROWS)
      await load(scratch, postData)
      return { url, name, sample, drop }
    } finally {
      await scratch.end()
      await source.end()
    }
  } catch (error) {
    await drop()
    throw new Error(`could not load the target's schema into a scratch database: ${(error as Error).message}`)
  }
}

/** pg_dump's output empties search_path for the session; reset it for what comes next. */
async function load(db: { query(sql: string): Promise<unknown> }, ddl: string): Promise<void> {
  await db.query(`${ddl};\nRESET ALL`)
}
