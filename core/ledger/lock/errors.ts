/** Typed lock errors: stable codes plus what the caller needs to act (the status naming the holder). */
import { LedgerError } from "../errors.js"
import type { LockStatus } from "./types.js"

export class LockHeldError extends LedgerError {
  readonly code = "lock-held"
  constructor(
    readonly env: string,
    readonly status: LockStatus,
    message: string,
  ) {
    super(message)
  }
}

export class LockForceRequiredError extends LedgerError {
  readonly code = "lock-force-required"
  constructor(
    readonly env: string,
    readonly status: LockStatus,
    message: string,
  ) {
    super(message)
  }
}

export class LockLostError extends LedgerError {
  readonly code = "lock-lost"
  constructor(
    readonly env: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export class LockReleaseTimeoutError extends LedgerError {
  readonly code = "lock-release-timeout"
  constructor(
    readonly env: string,
    readonly backendPid: number,
    message: string,
  ) {
    super(message)
  }
}
