/**
 * Restoring a backup over a live database loses every write since it was taken, so it is never
 * automatic: it runs only when the caller repeats the backup id as a confirmation token (the
 * CLI's --confirm-restore <id>), and only after the dump's checksum matches its manifest. The
 * restore is one transaction (all or nothing). The ledger schema is left out, so the ledger keeps
 * its history, including the record of this restore. Stop writers first: the restore does not.
 */
import { access, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import type { Executor } from "../exec/types.js"
import { DEFAULT_PROGRAMS, pgRestoreArgv, pgRestoreListArgv } from "./argv.js"
import { type PgConn, connectionExec } from "./connection.js"
import { BackupCommandError, BackupDamagedError, BackupNotFoundError, RestoreRefusedError } from "./errors.js"
import { readManifest } from "./manifest.js"
import { backupDamagedMessage, backupNotFoundMessage, restoreRefusedMessage } from "./messages.js"
import { dumpFileName } from "./naming.js"
import { fileSha256 } from "./sha256.js"
import { withoutSchemaEntries } from "./toc.js"

export interface RestoreOptions {
  id: string
  /** Must equal id; anything else (or nothing) refuses before touching the database. */
  confirm: string | undefined
  location: string
  target: PgConn
  /** Runs pg_restore; with target.password set it must supply the secret PGPASSWORD (connectionExec). */
  executor: Executor
  /** Schemas to leave untouched, normally the ledger schema (config ledger.schema). */
  keepSchemas: readonly string[]
  pgRestore?: string
}

export interface RestoreResult {
  id: string
  file: string
  sha256: string
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { id, location } = options
  if (options.confirm !== id) throw new RestoreRefusedError(restoreRefusedMessage(id, options.confirm, options.target))
  const file = join(location, dumpFileName(id))
  const manifest = await readManifest(location, id)
  const present = await access(file).then(
    () => true,
    () => false,
  )
  if (manifest === undefined || !present) throw new BackupNotFoundError(backupNotFoundMessage(id, location))
  const sha256 = await fileSha256(file)
  if (sha256 !== manifest.sha256) throw new BackupDamagedError(backupDamagedMessage(id, file, sha256, manifest.sha256))
  const program = options.pgRestore ?? DEFAULT_PROGRAMS.pgRestore
  const listArgv = pgRestoreListArgv(file, program)
  const listed = await options.executor.run(listArgv, { inputFiles: [file] })
  if (listed.exitCode !== 0) throw new BackupCommandError(listArgv, listed)
  const useList = join(location, `.${id}.restore-list`)
  await writeFile(useList, withoutSchemaEntries(listed.stdout, options.keepSchemas), { mode: 0o600 })
  try {
    const argv = pgRestoreArgv(
      options.target,
      { file, clean: true, excludeSchemas: options.keepSchemas, useList },
      program,
    )
    const result = await options.executor.run(argv, { ...connectionExec(options.target), inputFiles: [file, useList] })
    if (result.exitCode !== 0) throw new BackupCommandError(argv, result)
    return { id, file, sha256 }
  } finally {
    await rm(useList, { force: true })
  }
}
