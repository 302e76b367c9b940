/**
 * The CLI's `load-test`: plans the run, runs wrk through the executor it is given (a child process
 * for the CLI) and returns the Outcome that `loadTestCommand` makes of it.
 */
import type { Executor } from "../exec/types.js"
import { runWrk } from "../loadtest/run.js"
import { type LoadTestRequest, type WrkSettings, planLoadTest } from "../loadtest/settings.js"
import { type LoadTestFormat, loadTestCommand, loadTestRefused } from "./load-test.js"
import type { Outcome } from "./outcome.js"

/** The CLI's `load-test`: never throws a LoadTestError, returns it as a failed Outcome. */
export async function loadTestOutcome(
  executor: Executor,
  request: LoadTestRequest,
  format: LoadTestFormat,
): Promise<Outcome> {
  let settings: WrkSettings
  try {
    settings = planLoadTest(request)
  } catch (error) {
    return loadTestRefused(error, format)
  }
  return loadTestCommand(settings, await runWrk(executor, settings), format)
}
