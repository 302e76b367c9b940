/** Typed backup errors: a stable code, the facts a caller acts on, and the text from messages.ts. */
import type { ExecResult } from "../exec/types.js"
import { commandFailedMessage } from "./messages.js"

export abstract class BackupError extends Error {
  abstract readonly code: string
  override get name(): string {
    return this.constructor.name
  }
}

/** A pg_dump or pg_restore that exited non-zero; argv never holds a password. */
export class BackupCommandError extends BackupError {
  readonly code = "BACKUP_COMMAND_FAILED"
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  constructor(readonly argv: readonly string[], result: ExecResult) {
    super(commandFailedMessage(argv, result.exitCode, result.stderr))
    this.exitCode = result.exitCode
    this.stdout = result.stdout
    this.stderr = result.stderr
  }
}

export class BackupVersionError extends BackupError {
  readonly code = "BACKUP_PG_DUMP_TOO_OLD"
}

export class BackupLockTimeoutError extends BackupError {
  readonly code = "BACKUP_LOCK_TIMEOUT"
}

export class BackupVerifyError extends BackupError {
  readonly code = "BACKUP_VERIFY_FAILED"
  constructor(readonly id: string, readonly differences: readonly string[], message: string) {
    super(message)
  }
}

export class RestoreRefusedError extends BackupError {
  readonly code = "RESTORE_NOT_CONFIRMED"
}

export class BackupNotFoundError extends BackupError {
  readonly code = "BACKUP_NOT_FOUND"
}

export class BackupDamagedError extends BackupError {
  readonly code = "BACKUP_DAMAGED"
}

/** A verified backup that could not be copied to durable storage (the Docker host under Dagger). */
export class BackupStoreError extends BackupError {
  readonly code = "BACKUP_NOT_KEPT"
}
