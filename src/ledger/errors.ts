/** Typed ledger errors: a stable `code` for callers to branch on, and the message from messages.ts. */
import { ledgerTooNewMessage, recordNotFoundMessage, recordNotInProgressMessage } from "./messages.js"

export abstract class LedgerError extends Error {
  abstract readonly code: string
  override get name(): string {
    return this.constructor.name
  }
}

export class LedgerTooNewError extends LedgerError {
  readonly code = "LEDGER_TOO_NEW"
  constructor(readonly schema: string, readonly found: number, readonly known: number) {
    super(ledgerTooNewMessage(schema, found, known))
  }
}

export class RecordNotFoundError extends LedgerError {
  readonly code = "RECORD_NOT_FOUND"
  constructor(readonly id: number) {
    super(recordNotFoundMessage(id))
  }
}

export class RecordNotInProgressError extends LedgerError {
  readonly code = "RECORD_NOT_IN_PROGRESS"
  constructor(readonly id: number, readonly result: string) {
    super(recordNotInProgressMessage(id, result))
  }
}
