/**
 * Pure renderers for what the stages say: the lint report, stage failures and the ci summary.
 * One readable text per call, so `dagger call lint` and `dagger call ci` read the same way.
 */

export interface CheckResult {
  name: string
  ok: boolean
  /** What the check printed (stdout and stderr, trimmed). */
  output: string
  exitCode?: number
}

const MAX_LINES = 40

/** A command's verdict as a check: passed on exit 0; its stdout then stderr, trimmed, as the output. */
export function checkResult(name: string, exitCode: number, stdout: string, stderr: string): CheckResult {
  return { name, ok: exitCode === 0, exitCode, output: [stdout.trim(), stderr.trim()].filter(Boolean).join("\n") }
}

/** The last `count` lines of a text, with a note of how many were left out. */
export function tail(text: string, count = 20): string {
  const lines = text.trimEnd().split("\n")
  if (lines.length <= count) return lines.join("\n")
  return [`… ${lines.length - count} earlier lines`, ...lines.slice(-count)].join("\n")
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n")
}

export function renderChecks(title: string, checks: readonly CheckResult[]): string {
  const failed = checks.filter((c) => !c.ok)
  const head =
    failed.length === 0
      ? `${title}: all ${checks.length} checks passed`
      : `${title}: ${failed.length} of ${checks.length} checks failed`
  const body = checks.map((c) => {
    const mark = c.ok ? "ok  " : "FAIL"
    const code = c.exitCode === undefined ? "" : ` (exit ${c.exitCode})`
    const output = c.output.trim()
    return output
      ? `  ${mark} ${c.name}${c.ok ? "" : code}\n${indent(tail(output, MAX_LINES))}`
      : `  ${mark} ${c.name}${c.ok ? "" : code}`
  })
  return [head, ...body].join("\n")
}

/** A failed exec, as a stage failure: the command, its exit code and the tail of its stderr. */
export function renderExecFailure(
  stage: string,
  failure: { cmd: readonly string[]; exitCode: number; stderr: string; stdout: string },
): string {
  const output = failure.stderr.trim() || failure.stdout.trim()
  const command = failure.cmd.join(" ")
  return `${stage} failed: \`${command.length > 160 ? `${command.slice(0, 160)}…` : command}\` exited ${failure.exitCode}${output ? `\n${tail(output)}` : ""}`
}

export interface StageOutcome {
  stage: string
  ok: boolean
  detail: string
}

export function renderCiSummary(outcomes: readonly StageOutcome[]): string {
  const failed = outcomes.filter((o) => !o.ok)
  const head =
    failed.length === 0
      ? `ci: all ${outcomes.length} stages passed (${outcomes.map((o) => o.stage).join(", ")})`
      : `ci: ${failed.length} of ${outcomes.length} stages failed (${failed.map((o) => o.stage).join(", ")})`
  return [head, ...outcomes.map((o) => `\n[${o.ok ? "ok" : "FAILED"}] ${o.stage}\n${indent(o.detail.trim())}`)].join(
    "\n",
  )
}
