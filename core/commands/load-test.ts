/**
 * `load-test`: a finished wrk run as an Outcome, text or JSON. Pure, so the CLI (wrk as a child
 * process) and the Dagger function (wrk in a container) print the same thing for the same run.
 * It fails when wrk failed, when any request errored (socket errors or non-2xx/3xx responses) or
 * when no request completed; the figures are printed either way.
 */
import { LoadTestError } from "../loadtest/errors.js"
import { renderJson, renderText } from "../loadtest/render.js"
import { type WrkRun, readWrkRun } from "../loadtest/report.js"
import type { WrkSettings } from "../loadtest/settings.js"
import { type Outcome, failure, jsonDocument, renderErrorJson, success } from "./outcome.js"

export interface LoadTestFormat {
  json: boolean
}

export function loadTestCommand(settings: WrkSettings, run: WrkRun, format: LoadTestFormat): Outcome {
  let report
  try {
    report = readWrkRun(settings, run)
  } catch (error) {
    return loadTestRefused(error, format)
  }
  const verdict =
    report.errors.total > 0
      ? `load test failed: ${report.errors.total} errors`
      : report.requests === 0
        ? `load test failed: no request completed in ${report.durationSeconds.toFixed(2)} s`
        : ""
  if (format.json) return jsonDocument(!verdict, renderJson(report))
  return verdict ? failure("load-test-errors", `${renderText(report)}\n${verdict}`) : success(renderText(report))
}

/**
 * A LoadTestError (bad option, wrk missing or failed) as a failed Outcome, already a JSON error
 * under --json since the Dagger function fails with this text; other errors are rethrown.
 */
export function loadTestRefused(error: unknown, format: LoadTestFormat): Outcome {
  if (!(error instanceof LoadTestError)) throw error
  return format.json
    ? jsonDocument(false, renderErrorJson(error.code, error.message))
    : failure(error.code, error.message)
}
