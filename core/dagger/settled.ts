/** How a Dagger function's Outcome becomes the call's result. */
import type { Outcome } from "../commands/outcome.js"
import { debugRequested, describeError } from "../errors/describe.js"

/**
 * The call's result: a succeeded Outcome's text, or a failed call with the failed Outcome's text.
 * A bug (anything else thrown) fails the call with its message, no stack trace, and its causes
 * only under DEPLOY_PIPELINE_DEBUG.
 */
export async function settled(outcome: Outcome | Promise<Outcome>, debug = debugRequested()): Promise<string> {
  let done: Outcome
  try {
    done = await outcome
  } catch (error) {
    throw new Error(error instanceof Error ? describeError(error, debug) : String(error))
  }
  if (!done.ok) throw new Error(done.text)
  return done.text
}
