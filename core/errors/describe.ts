/**
 * A PipelineError as its user reads it, the same on both surfaces: the message, the hint when the
 * message lacks it, and, only under DEPLOY_PIPELINE_DEBUG, the chain of causes.
 */
import { PipelineError } from "./pipeline-error.js"

/** Whether the caller asked for causes and stacks (DEPLOY_PIPELINE_DEBUG set and not empty). */
export function debugRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DEPLOY_PIPELINE_DEBUG)
}

/** The message, the hint (unless the message already says it) and, in debug, each cause on its own line. */
export function describeError(error: Error, debug: boolean): string {
  const hint =
    error instanceof PipelineError && error.hint !== undefined && !error.message.includes(error.hint)
      ? `\nnext: ${error.hint}`
      : ""
  return `${error.message}${hint}${debug ? causeLines(error.cause) : ""}`
}

function causeLines(cause: unknown, depth = 0): string {
  if (cause === undefined || depth > 8) return ""
  if (!(cause instanceof Error)) return `\ncause: ${String(cause)}`
  return `\ncause: ${cause.name}: ${cause.message}${causeLines(cause.cause, depth + 1)}`
}
