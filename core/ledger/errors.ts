/** Typed ledger errors: a stable `code` for callers to branch on, and the message from messages.ts. */
import { PipelineError } from "../errors/pipeline-error.js"
import { ledgerTooNewMessage, recordNotFoundMessage, recordNotInProgressMessage } from "./messages.js"

export abstract class LedgerError extends PipelineError {
  override get name(): string {
    return this.constructor.name
  }
}

export class LedgerTooNewError extends LedgerError {
  readonly code = "ledger-too-new"
  constructor(
    readonly schema: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(ledgerTooNewMessage(schema, found, known))
  }
}

export class RecordNotFoundError extends LedgerError {
  readonly code = "record-not-found"
  constructor(readonly id: number) {
    super(recordNotFoundMessage(id))
  }
}

export class RecordNotInProgressError extends LedgerError {
  readonly code = "record-not-in-progress"
  constructor(
    readonly id: number,
    readonly result: string,
  ) {
    super(recordNotInProgressMessage(id, result))
  }
}
