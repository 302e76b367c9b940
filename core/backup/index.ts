/** The backup's public surface: take (dump + verify + prune), verify, restore, and the pure builders. */
export { takeBackup, DEFAULT_LOCK_WAIT_TIMEOUT_MS, type BackupOptions, type BackupResult } from "./backup.js"
export { verifyBackup, type VerifyOptions, type VerifyReport } from "./verify.js"
export { restoreBackup, type RestoreOptions, type RestoreResult } from "./restore.js"
export {
  pgDumpArgv,
  pgRestoreArgv,
  pgRestoreListArgv,
  versionArgv,
  DEFAULT_PROGRAMS,
  type Programs,
  type DumpArgs,
  type RestoreArgs,
} from "./argv.js"
export { connectPg, connectionArgs, connectionExec, PASSWORD_SECRET, type PgConn } from "./connection.js"
export { backupSettings, type BackupSettings } from "./config.js"
export { backupId, dumpFileName, manifestFileName, idFromDumpFile } from "./naming.js"
export { choosePrune, pruneBackups } from "./prune.js"
export { dockerHostStore, type BackupStore, type KeepPolicy, type KeptBackup } from "./store.js"
export { compareFacts, readFacts, type DatabaseFacts, type TableCount } from "./facts.js"
export { readManifest, type Manifest } from "./manifest.js"
export { parseToolMajor, serverMajor } from "./version.js"
export * from "./errors.js"
