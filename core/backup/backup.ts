/**
 * The production backup before a deploy: check pg_dump can dump this server, dump in custom
 * format inside an exported snapshot (so the row counts taken in the same snapshot match the dump
 * exactly under live writes), checksum it, name it, verify it by a real restore, record a
 * manifest, and prune old dumps. Commands run through the injected Executor; connections come
 * from the injected `connect`; the id's timestamp from the injected clock.
 */
import { randomBytes } from "node:crypto"
import { mkdir, rename, rm, stat } from "node:fs/promises"
import { join } from "node:path"
import type pg from "pg"
import type { Executor } from "../exec/types.js"
import { type Clock, dateAt, systemClock } from "../time/clock.js"
import type { BackupRef } from "../ledger/record.js"
import { DEFAULT_PROGRAMS, type Programs, pgDumpArgv, versionArgv } from "./argv.js"
import { type PgConn, connectPg, connectionExec } from "./connection.js"
import { BackupCommandError, BackupLockTimeoutError, BackupVerifyError, BackupVersionError } from "./errors.js"
import { type DatabaseFacts, readFacts } from "./facts.js"
import { type Manifest, writeManifest } from "./manifest.js"
import { dumpTooOldMessage, lockTimeoutMessage, unreadableVersionMessage } from "./messages.js"
import { backupId, backupStamp, dumpFileName, scratchDatabaseName } from "./naming.js"
import { pruneBackups } from "./prune.js"
import { fileSha256 } from "./sha256.js"
import { parseToolMajor, serverMajor } from "./version.js"
import { type VerifyReport, verifyBackup } from "./verify.js"

/** How long the dump may wait for a table lock when the caller does not say. */
export const DEFAULT_LOCK_WAIT_TIMEOUT_MS = 30_000

export interface BackupOptions {
  env: string
  source: PgConn
  /** Directory for dumps and manifests (config deploy.backup.location). */
  location: string
  /** How many dumps of this environment to keep (deploy.backup.keep). */
  keep: number
  /** Restore into a scratch database and compare (deploy.backup.verify). */
  verify: boolean
  /** Runs pg_dump and pg_restore; with source.password set it must supply the secret PGPASSWORD (connectionExec). */
  executor: Executor
  lockWaitTimeoutMs?: number
  /** Where verify creates its scratch database; default: the source server, via its "postgres" database. */
  scratch?: PgConn
  connect?: (conn: PgConn) => Promise<pg.Client>
  clock?: Clock
  programs?: Partial<Programs>
}

export interface BackupResult {
  id: string
  file: string
  sha256: string
  bytes: number
  createdAt: Date
  serverVersionNum: number
  facts: DatabaseFacts
  verified: VerifyReport | null
  pruned: string[]
  /** What the ledger records for this backup. */
  ref: BackupRef
}

export async function takeBackup(options: BackupOptions): Promise<BackupResult> {
  const connect = options.connect ?? connectPg
  const clock = options.clock ?? systemClock
  const programs = { ...DEFAULT_PROGRAMS, ...options.programs }
  const lockWaitTimeoutMs = options.lockWaitTimeoutMs ?? DEFAULT_LOCK_WAIT_TIMEOUT_MS
  const createdAt = dateAt(clock)
  const client = await connect(options.source)
  const partial = join(options.location, `.${options.env}-${backupStamp(createdAt)}.dump.partial`)
  try {
    const serverVersionNum = await readServerVersion(client)
    const pgDumpVersion = await checkPgDump(options.executor, programs.pgDump, serverVersionNum)
    await mkdir(options.location, { recursive: true, mode: 0o700 })
    const facts = await dumpInSnapshot(client, options, programs.pgDump, partial, lockWaitTimeoutMs)
    const sha256 = await fileSha256(partial)
    const { size: bytes } = await stat(partial)
    const id = backupId(options.env, createdAt, sha256)
    const file = join(options.location, dumpFileName(id))
    await rename(partial, file)
    const manifest: Manifest = {
      id,
      env: options.env,
      file: dumpFileName(id),
      sha256,
      bytes,
      createdAt: createdAt.toISOString(),
      database: options.source.database,
      serverVersionNum,
      pgDumpVersion,
      facts,
      verified: null,
      differences: [],
    }
    let verified: VerifyReport | null = null
    if (options.verify) {
      try {
        verified = await verifyBackup({
          id,
          file,
          expected: facts,
          executor: options.executor,
          connect,
          pgRestore: programs.pgRestore,
          scratch: options.scratch ?? { ...options.source, database: "postgres" },
          scratchName: scratchDatabaseName(options.env, sha256, randomBytes(3).toString("hex")),
        })
        manifest.verified = true
      } catch (error) {
        if (error instanceof BackupVerifyError)
          await writeManifest(options.location, { ...manifest, verified: false, differences: [...error.differences] })
        throw error
      }
    }
    await writeManifest(options.location, manifest)
    const pruned = await pruneBackups(options.location, options.env, options.keep, id)
    return {
      id,
      file,
      sha256,
      bytes,
      createdAt,
      serverVersionNum,
      facts,
      verified,
      pruned,
      ref: { id, location: file, sha256 },
    }
  } finally {
    await rm(partial, { force: true })
    await client.end().catch(() => undefined)
  }
}

async function readServerVersion(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num")
  return Number(rows[0]?.server_version_num)
}

/** Refuses a pg_dump older than the server's major version; returns its version line. */
async function checkPgDump(executor: Executor, program: string, serverVersionNum: number): Promise<string> {
  const argv = versionArgv(program)
  const result = await executor.run(argv)
  if (result.exitCode !== 0) throw new BackupCommandError(argv, result)
  const major = parseToolMajor(result.stdout)
  if (major === undefined) throw new BackupVersionError(unreadableVersionMessage(program, result.stdout))
  const server = serverMajor(serverVersionNum)
  if (major < server) throw new BackupVersionError(dumpTooOldMessage(program, major, server))
  return result.stdout.trim()
}

/**
 * Counts rows and runs pg_dump in one exported snapshot. The counts also take every table's
 * ACCESS SHARE lock first, under lock_timeout, so a pending DDL cannot slip in before pg_dump's.
 */
async function dumpInSnapshot(
  client: pg.ClientBase,
  options: BackupOptions,
  program: string,
  file: string,
  lockWaitTimeoutMs: number,
): Promise<DatabaseFacts> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
  try {
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockWaitTimeoutMs))}`)
    const { rows } = await client.query<{ snapshot: string }>("SELECT pg_export_snapshot() AS snapshot")
    let facts: DatabaseFacts
    try {
      facts = await readFacts(client)
    } catch (error) {
      if ((error as { code?: string }).code !== "55P03") throw error
      throw new BackupLockTimeoutError(
        lockTimeoutMessage(options.source.database, lockWaitTimeoutMs, (error as Error).message),
        { cause: error },
      )
    }
    const argv = pgDumpArgv(options.source, { file, lockWaitTimeoutMs, snapshot: rows[0]?.snapshot }, program)
    const result = await options.executor.run(argv, { ...connectionExec(options.source), outputFiles: [file] })
    if (result.exitCode !== 0) throw new BackupCommandError(argv, result)
    return facts
  } finally {
    await client.query("COMMIT").catch(() => undefined)
  }
}
