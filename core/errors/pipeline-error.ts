/**
 * The one base of the pipeline's typed errors. `code` is stable (codes.ts lists every code and what
 * it means: what a CI script matches), the message says what happened, `hint` is the next step when
 * the message does not already say it, and `cause` is kept: both surfaces print it only under
 * DEPLOY_PIPELINE_DEBUG (describe.ts). This file imports nothing, so every layer may extend it.
 */
import type { ErrorCode } from "./codes.js"

export interface PipelineErrorOptions {
  cause?: unknown
  /** What to do next, when the message does not already end with it. */
  hint?: string
}

export abstract class PipelineError extends Error {
  abstract readonly code: ErrorCode
  readonly hint: string | undefined
  constructor(message: string, options: PipelineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.hint = options.hint
  }
}
