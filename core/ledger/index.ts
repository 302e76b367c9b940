/** The ledger's public surface: records, migrations, keys and owners; the lock lives in ./lock. */
export { Ledger } from "./ledger.js"
export { migrateLedger } from "./migrate.js"
export { LEDGER_MIGRATIONS, type LedgerMigration } from "./migrations.js"
export {
  deployLockKey,
  migrationLockKey,
  hashKey,
  DEPLOY_LOCK_NAMESPACE,
  MIGRATION_LOCK_NAMESPACE,
  type AdvisoryKey,
} from "./keys.js"
export { describeOwner, localOwner, type Owner } from "./owner.js"
export { systemClock, realSleep, type Clock, type Sleep } from "../time/clock.js"
export type { Queryable } from "./sql.js"
export * from "./record.js"
export { LedgerError, LedgerTooNewError, RecordNotFoundError, RecordNotInProgressError } from "./errors.js"
export * from "./lock/index.js"
