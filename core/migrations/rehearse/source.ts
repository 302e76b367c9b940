/**
 * The data a rehearsal runs on: the environment's latest verified backup, found through the ledger
 * rows of the deploys that took them (as backup restore finds them) and checked against its
 * manifest (verified by restore, same sha256); or, when there is none, a fresh pg_dump of the
 * environment's database, which only reads it. Either is restored with pg_restore into a new
 * scratch database on the same server, which `drop` removes whatever happened.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { DEFAULT_PROGRAMS, pgDumpArgv, pgRestoreArgv } from "../../backup/argv.js"
import { DEFAULT_LOCK_WAIT_TIMEOUT_MS } from "../../backup/backup.js"
import { type PgConn, connectPg, connectionExec } from "../../backup/connection.js"
import { BackupCommandError } from "../../backup/errors.js"
import { readManifest } from "../../backup/manifest.js"
import { dumpFileName } from "../../backup/naming.js"
import { fileSha256 } from "../../backup/sha256.js"
import type { BackupStore } from "../../backup/store.js"
import type { Executor } from "../../exec/types.js"
import type { BackupRef } from "../../ledger/record.js"
import { type Queryable, ident } from "../../ledger/sql.js"

/** A dump file to restore, and how to let go of it. */
export interface DumpSource {
  /** "backup <id>" or "pg_dump of <database>". */
  describe: string
  file: string
  done(): Promise<void>
}

/** How many of the newest backups are checked for a verified one. */
const CANDIDATES = 5

/** The newest backups the ledger records for env, newest first. */
export async function recordedBackups(ledger: Queryable, schema: string, env: string): Promise<BackupRef[]> {
  const { rows } = await ledger.query<{ id: string; location: string; sha256: string }>(
    `SELECT backup_id AS id, backup_location AS location, backup_sha256 AS sha256 FROM ${ident(schema)}.deploys
     WHERE env = $1 AND action = 'deploy' AND backup_id IS NOT NULL ORDER BY id DESC LIMIT ${CANDIDATES}`,
    [env],
  )
  return rows
}

/**
 * The newest backup whose manifest says a restore verified it and whose dump still has the
 * recorded sha256; undefined when none does. `store` fetches backups kept on the Docker host.
 */
export async function latestVerifiedBackup(
  refs: readonly BackupRef[],
  store: BackupStore | undefined,
  image: string,
  log: (line: string) => void,
): Promise<DumpSource | undefined> {
  for (const ref of refs) {
    const fetched = store ? await store.fetch(ref, image) : { dir: dirname(ref.location), done: async () => undefined }
    const file = join(fetched.dir, dumpFileName(ref.id))
    const manifest = await readManifest(fetched.dir, ref.id).catch(() => undefined)
    const sha256 = manifest ? await fileSha256(file).catch(() => undefined) : undefined
    if (manifest?.verified === true && sha256 === ref.sha256 && manifest.sha256 === ref.sha256)
      return { describe: `backup ${ref.id}`, file, done: fetched.done }
    log(
      `skipping backup ${ref.id}: ${!manifest ? "no manifest" : manifest.verified !== true ? "not verified by a restore" : "its dump does not match the recorded sha256"}`,
    )
    await fetched.done()
  }
  return undefined
}

/** A fresh pg_dump of the environment's database (read only), into a temporary file. */
export async function freshDump(source: PgConn, executor: Executor): Promise<DumpSource> {
  const dir = await mkdtemp(join(tmpdir(), "dp-rehearse-"))
  const file = join(dir, `${source.database}.dump`)
  const argv = pgDumpArgv(source, { file, lockWaitTimeoutMs: DEFAULT_LOCK_WAIT_TIMEOUT_MS }, DEFAULT_PROGRAMS.pgDump)
  const result = await executor.run(argv, { ...connectionExec(source), outputFiles: [file] })
  const done = () => rm(dir, { recursive: true, force: true })
  if (result.exitCode !== 0) {
    await done()
    throw new BackupCommandError(argv, result)
  }
  return { describe: `a fresh pg_dump of ${source.database} (no verified backup in the ledger)`, file, done }
}

export interface Scratch {
  conn: PgConn
  drop(): Promise<void>
}

/**
 * Creates `name` on the server of `server` (connecting to its database for CREATE DATABASE) and
 * restores `dump` into it; on failure the scratch database is dropped before the error is rethrown.
 */
export async function restoreIntoScratch(
  server: PgConn,
  name: string,
  dump: DumpSource,
  executor: Executor,
): Promise<Scratch> {
  const conn: PgConn = { ...server, database: name }
  const admin = await connectPg(server)
  try {
    await admin.query(`CREATE DATABASE ${ident(name)} TEMPLATE template0`)
  } finally {
    await admin.end()
  }
  const drop = () => dropDatabase(server, name)
  try {
    const argv = pgRestoreArgv(conn, { file: dump.file }, DEFAULT_PROGRAMS.pgRestore)
    const result = await executor.run(argv, { ...connectionExec(conn), inputFiles: [dump.file] })
    if (result.exitCode !== 0) throw new BackupCommandError(argv, result)
  } catch (error) {
    await drop()
    throw error
  }
  return { conn, drop }
}

/** Ends any session left on the scratch database (a migrate container killed mid-way), then drops it. */
async function dropDatabase(server: PgConn, name: string): Promise<void> {
  const admin = await connectPg(server)
  try {
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [name],
    )
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)}`)
  } finally {
    await admin.end()
  }
}
