/**
 * What an engine-free command produces: text for its caller and whether it succeeded.
 * The CLI prints it (core/cli/output.ts) and exits 0, 1 or 2; the Dagger surface returns it or
 * fails the call with it. A failure carries a stable code (core/errors/codes.ts) so the CLI can
 * print it as a JSON error; a JSON document (--json, --format json) is marked so, since it is the
 * command's output even when the command failed (findings, a failed load test, a rolled-back deploy).
 */
import type { ErrorCode } from "../errors/codes.js"

export interface Outcome {
  ok: boolean
  /** Human text, or one JSON document when `json` is set; no final newline. */
  text: string
  /** `text` is one JSON document: machine-readable output, printed on stdout whatever `ok` is. */
  json?: true
  /** `text` is the command's report (status of an environment that is down), printed on stdout whatever `ok` is. */
  report?: true
  /** Why it failed: a code from the table in core/errors/codes.ts. */
  code?: ErrorCode
  /** Facts a program acts on, printed in the JSON error beside code and message (config-invalid: problems). */
  details?: Readonly<Record<string, unknown>>
}

export const success = (text: string): Outcome => ({ ok: true, text })

export const failure = (code: ErrorCode, text: string, details?: Readonly<Record<string, unknown>>): Outcome => ({
  ok: false,
  text,
  code,
  ...(details ? { details } : {}),
})

/** A JSON document as the command's output, succeeded or not. */
export const jsonDocument = (ok: boolean, text: string): Outcome => ({ ok, text, json: true })

/** The one shape of an error in JSON: {"error": {"code", "message", ...details}}. */
export function renderErrorJson(
  code: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): string {
  return JSON.stringify({ error: { code, message, ...details } }, null, 2)
}
