/**
 * How a command reports a typed failure, the same on both surfaces: any PipelineError becomes a
 * failed Outcome with its code, its message (plus the hint, and the causes under
 * DEPLOY_PIPELINE_DEBUG) and, in JSON, its hint. Anything else is a bug: it is rethrown, and each
 * surface reports it as an unexpected failure.
 */
import { describeError } from "../errors/describe.js"
import { PipelineError } from "../errors/pipeline-error.js"
import { type Outcome, failure } from "./outcome.js"

export function errorOutcome(error: unknown, debug: boolean): Outcome {
  if (!(error instanceof PipelineError)) throw error
  return failure(error.code, describeError(error, debug), error.hint === undefined ? undefined : { hint: error.hint })
}

/** Runs a command's work, turning a PipelineError into its failed Outcome. */
export async function guarded(debug: boolean, work: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await work()
  } catch (error) {
    return errorOutcome(error, debug)
  }
}
