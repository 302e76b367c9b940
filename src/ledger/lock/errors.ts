/** Typed lock errors: stable codes plus what the caller needs to act (the status naming the holder). */
import { LedgerError } from "../errors.js"
import type { LockStatus } from "./types.js"

export class LockHeldError extends LedgerError {
  readonly code = "LOCK_HELD"
  constructor(readonly env: string, readonly status: LockStatus, message: string) {
    super(message)
  }
}

export class LockForceRequiredError extends LedgerError {
  readonly code = "LOCK_FORCE_REQUIRED"
  constructor(readonly env: string, readonly status: LockStatus, message: string) {
    super(message)
  }
}

export class LockLostError extends LedgerError {
  readonly code = "LOCK_LOST"
  constructor(readonly env: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

export class LockReleaseTimeoutError extends LedgerError {
  readonly code = "LOCK_RELEASE_TIMEOUT"
  constructor(readonly env: string, readonly backendPid: number, message: string) {
    super(message)
  }
}
