/**
 * Typed load-test failures with stable codes, so callers and tests branch on the code and the
 * message says what was wrong and what to do. `limit` is set when a bound was exceeded.
 */
import { PipelineError } from "../errors/pipeline-error.js"

export type LoadTestErrorCode =
  | "invalid-target"
  | "invalid-option"
  | "over-limit"
  | "unreachable-under-dagger"
  | "wrk-missing"
  | "wrk-failed"
  | "wrk-output"

export class LoadTestError extends PipelineError {
  override readonly name = "LoadTestError"
  constructor(
    readonly code: LoadTestErrorCode,
    message: string,
    options?: { cause?: unknown; limit?: number },
  ) {
    super(message, options?.cause === undefined ? {} : { cause: options.cause })
    this.limit = options?.limit
  }
  /** The bound that was exceeded ("over-limit" only). */
  readonly limit: number | undefined
}
