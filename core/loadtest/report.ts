/**
 * One load test's figures, whole: requests, time, rps and errors from wrk's text report; every
 * latency figure (p95 included) from the done() line, exact to the microsecond; the settings it
 * ran with and the target. Also reads a finished wrk run (exit code, stdout,
 * stderr) into either a report or a LoadTestError that says why not.
 */
import { parseDoneLine } from "./done-script.js"
import { LoadTestError } from "./errors.js"
import { parseWrk } from "./parse.js"
import type { WrkSettings } from "./settings.js"
import { roundMs } from "./units.js"

export interface LoadTestReport {
  target: string
  settings: { connections: number; threads: number; durationSeconds: number; timeoutSeconds: number }
  requests: number
  /** Measured elapsed time, seconds. */
  durationSeconds: number
  rps: number
  latencyMs: { p50: number; p75: number; p90: number; p95: number; p99: number; max: number; mean: number }
  errors: { connect: number; read: number; write: number; timeout: number; status: number; total: number }
}

export interface WrkRun {
  exitCode: number
  stdout: string
  stderr: string
}

export function readLoadTest(settings: WrkSettings, stdout: string): LoadTestReport {
  const summary = parseWrk(stdout)
  const done = parseDoneLine(stdout)
  if (done === undefined)
    throw new LoadTestError(
      "wrk-output",
      "wrk printed no p95 line: it ran without deploy-pipeline's done() script (--script)",
    )
  if (done.requests !== summary.requests) {
    throw new LoadTestError(
      "wrk-output",
      `wrk's report says ${summary.requests} requests but its done() line says ${done.requests}; the output is not from one run`,
    )
  }
  const e = summary.errors
  const l = done.latencyUs
  return {
    target: settings.url,
    settings: {
      connections: settings.connections,
      threads: settings.threads,
      durationSeconds: settings.durationSeconds,
      timeoutSeconds: settings.timeoutSeconds,
    },
    requests: summary.requests,
    durationSeconds: summary.durationSeconds,
    rps: summary.rps,
    latencyMs: {
      p50: ms(l.p50),
      p75: ms(l.p75),
      p90: ms(l.p90),
      p95: ms(l.p95),
      p99: ms(l.p99),
      max: ms(l.max),
      mean: ms(l.mean),
    },
    errors: { ...e, total: e.connect + e.read + e.write + e.timeout + e.status },
  }
}

const ms = (us: number) => roundMs(us / 1000)

/** A finished run as a report; a failed or missing wrk becomes a LoadTestError with wrk's own words. */
export function readWrkRun(settings: WrkSettings, run: WrkRun): LoadTestReport {
  if (run.exitCode === 127) {
    throw new LoadTestError(
      "wrk-missing",
      "wrk is not installed here: run ci/setup/wrk.sh as root (Debian: apt-get install -y wrk)",
    )
  }
  if (run.exitCode !== 0) {
    const said = (run.stderr.trim() || run.stdout.trim()).split("\n").slice(-5).join("\n")
    throw new LoadTestError(
      "wrk-failed",
      `wrk exited ${run.exitCode} against ${settings.url}${said ? `: ${said}` : ""}`,
    )
  }
  return readLoadTest(settings, run.stdout)
}
