/**
 * Where a command's outcome goes: machine-readable output on stdout whatever the exit code, human
 * diagnostics on stderr. Under --json (or --format json) a failure is a JSON error on stdout too,
 * so `deploy-pipeline … --json > out.json` always writes one document. Pure: the CLI writes what
 * printed() returns and exits with its code.
 */
import { type Outcome, renderErrorJson } from "../commands/outcome.js"

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export interface Printed {
  /** What to write to each stream; undefined writes nothing there. */
  stdout?: string
  stderr?: string
  exitCode: number
}

export function printed(outcome: Outcome, json: boolean): Printed {
  const exitCode = outcome.ok ? EXIT.ok : outcome.code === "usage" ? EXIT.usage : EXIT.failed
  if (outcome.ok || outcome.json || outcome.report) return { stdout: outcome.text, exitCode }
  if (json) return { stdout: renderErrorJson(outcome.code ?? "unexpected", outcome.text, outcome.details), exitCode }
  return {
    stderr:
      outcome.code === "usage"
        ? `deploy-pipeline: ${outcome.text}\nRun "deploy-pipeline help" for usage.`
        : outcome.text,
    exitCode,
  }
}

/**
 * Whether argv asks for JSON (--json, --format json, --format=json). Read from argv itself, so an
 * argv that does not parse still gets its usage error as JSON.
 */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some(
    (arg, i) => arg === "--json" || arg === "--format=json" || (arg === "--format" && argv[i + 1] === "json"),
  )
}

/** Writes what printed() returned to the CLI's streams, and returns the exit code. */
export function emit(io: { stdout: (text: string) => void; stderr: (text: string) => void }, out: Printed): number {
  if (out.stdout !== undefined) io.stdout(out.stdout)
  if (out.stderr !== undefined) io.stderr(out.stderr)
  return out.exitCode
}
