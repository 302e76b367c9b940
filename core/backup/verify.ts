/**
 * A backup is only as good as its restore. This restores a dump into a throwaway database (on a
 * server of the same major: the source's own server, or a scratch one), compares its facts with
 * the source's, and drops it again whatever happened.
 */
import type pg from "pg"
import type { ExecOptions, Executor } from "../exec/types.js"
import { ident } from "../ledger/sql.js"
import { DEFAULT_PROGRAMS, pgRestoreArgv, pgRestoreListArgv } from "./argv.js"
import { type PgConn, connectionExec } from "./connection.js"
import { BackupCommandError, BackupVerifyError } from "./errors.js"
import { type DatabaseFacts, compareFacts, readFacts } from "./facts.js"
import { verifyFailedMessage } from "./messages.js"

export interface VerifyOptions {
  id: string
  file: string
  expected: DatabaseFacts
  /** The server for the scratch database, named by a database to connect to for CREATE/DROP DATABASE. */
  scratch: PgConn
  /** The scratch database to create, restore into and drop. */
  scratchName: string
  executor: Executor
  connect: (conn: PgConn) => Promise<pg.Client>
  pgRestore?: string
}

export interface VerifyReport {
  scratchDatabase: string
  tables: number
  rows: number
  djangoMigrations: number | null
}

export async function verifyBackup(options: VerifyOptions): Promise<VerifyReport> {
  const pgRestore = options.pgRestore ?? DEFAULT_PROGRAMS.pgRestore
  await run(options.executor, pgRestoreListArgv(options.file, pgRestore), { inputFiles: [options.file] })
  const target: PgConn = { ...options.scratch, database: options.scratchName }
  const name = ident(options.scratchName)
  const admin = await options.connect(options.scratch)
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`)
    try {
      await run(options.executor, pgRestoreArgv(target, { file: options.file }, pgRestore), {
        ...connectionExec(target),
        inputFiles: [options.file],
      })
      const restored = await options.connect(target)
      const facts = await readFacts(restored).finally(() => restored.end())
      const differences = compareFacts(options.expected, facts)
      if (differences.length > 0)
        throw new BackupVerifyError(
          options.id,
          differences,
          verifyFailedMessage(options.id, options.scratchName, differences),
        )
      return {
        scratchDatabase: options.scratchName,
        tables: facts.tables.length,
        rows: facts.tables.reduce((sum, t) => sum + t.rows, 0),
        djangoMigrations: facts.djangoMigrations?.length ?? null,
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`)
    }
  } finally {
    await admin.end()
  }
}

async function run(executor: Executor, argv: string[], options: ExecOptions): Promise<void> {
  const result = await executor.run(argv, options)
  if (result.exitCode !== 0) throw new BackupCommandError(argv, result)
}
