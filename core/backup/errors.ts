/** Typed backup errors: a stable code, the facts a caller acts on, and the text from messages.ts. */
import type { ExecResult } from "../exec/types.js"
import { PipelineError } from "../errors/pipeline-error.js"
import { commandFailedMessage } from "./messages.js"

export abstract class BackupError extends PipelineError {
  override get name(): string {
    return this.constructor.name
  }
}

/** A pg_dump or pg_restore that exited non-zero; argv never holds a password. */
export class BackupCommandError extends BackupError {
  readonly code = "backup-command-failed"
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  constructor(
    readonly argv: readonly string[],
    result: ExecResult,
  ) {
    super(commandFailedMessage(argv, result.exitCode, result.stderr))
    this.exitCode = result.exitCode
    this.stdout = result.stdout
    this.stderr = result.stderr
  }
}

export class BackupVersionError extends BackupError {
  readonly code = "backup-pg-dump-too-old"
}

export class BackupLockTimeoutError extends BackupError {
  readonly code = "backup-lock-timeout"
}

export class BackupVerifyError extends BackupError {
  readonly code = "backup-verify-failed"
  constructor(
    readonly id: string,
    readonly differences: readonly string[],
    message: string,
  ) {
    super(message)
  }
}

export class RestoreRefusedError extends BackupError {
  readonly code = "restore-not-confirmed"
}

export class BackupNotFoundError extends BackupError {
  readonly code = "backup-not-found"
}

export class BackupDamagedError extends BackupError {
  readonly code = "backup-damaged"
}

/** A verified backup that could not be copied to durable storage (the Docker host under Dagger). */
export class BackupStoreError extends BackupError {
  readonly code = "backup-not-kept"
}
