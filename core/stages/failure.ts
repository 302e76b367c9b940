/**
 * Turns what the engine raises when a stage's command fails into a readable stage failure: no
 * stack trace, the command, its exit code and the tail of its stderr (the Dagger edge of report.ts).
 */
import { PipelineError } from "../errors/pipeline-error.js"
import { asExecFailure } from "./exec-failure.js"
import { renderExecFailure } from "./report.js"

export class StageError extends PipelineError {
  override readonly name = "StageError"
  readonly code = "stage-failed"
  constructor(
    readonly stage: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export function stageFailure(stage: string, error: unknown): StageError {
  if (error instanceof StageError) return error
  const failed = asExecFailure(error)
  if (failed) return new StageError(stage, renderExecFailure(stage, failed), { cause: error })
  const message = error instanceof Error ? error.message : String(error)
  return new StageError(stage, `${stage} failed: ${message}`, { cause: error })
}

/** Awaits a stage's leaf, rethrowing any failure as a StageError. */
export async function runStage<T>(stage: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw stageFailure(stage, error)
  }
}
