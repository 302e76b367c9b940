/**
 * The 95th percentile, honestly: wrk's --latency table prints 50/75/90/99 only, so a tiny Lua
 * done() hook (run once, after the test, in wrk's main thread) reads wrk's own latency histogram
 * and prints one marked JSON line. It sends no requests and changes none. The line carries every
 * latency figure in whole microseconds, not only p95: the table rounds to three digits ("1.10s"),
 * which could put an exact p95 above a rounded p99. The edges write DONE_SCRIPT to a file and
 * pass it with --script; parseDoneLine reads the line back.
 */
import { LoadTestError } from "./errors.js"

export const DONE_MARKER = "deploy-pipeline-wrk "

export const DONE_SCRIPT = [
  "-- deploy-pipeline load-test: wrk's latency figures in microseconds (p95 included) as one JSON line.",
  "-- done() runs once after the test; it only reads the results, it sends nothing.",
  "done = function(summary, latency, requests)",
  "  local p = function(q) return latency:percentile(q) end",
  `  io.write(string.format('${DONE_MARKER}{"requests":%d,"latencyUs":{"p50":%d,"p75":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.2f}}\\n',`,
  "    summary.requests, p(50), p(75), p(90), p(95), p(99), latency.max, latency.mean))",
  "end",
  "",
].join("\n")

export interface DoneLine {
  requests: number
  latencyUs: { p50: number; p75: number; p90: number; p95: number; p99: number; max: number; mean: number }
}

const LATENCY_KEYS = ["p50", "p75", "p90", "p95", "p99", "max", "mean"] as const

/** The done() line in wrk's stdout, or undefined when there is none (wrk ran without the script). */
export function parseDoneLine(stdout: string): DoneLine | undefined {
  const line = stdout.split("\n").find((l) => l.startsWith(DONE_MARKER))
  if (line === undefined) return undefined
  const json = line.slice(DONE_MARKER.length).trim()
  const unreadable = (cause?: unknown) =>
    new LoadTestError(
      "wrk-output",
      `cannot read wrk's done() line: ${json}`,
      cause === undefined ? undefined : { cause },
    )
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    throw unreadable(error)
  }
  const { requests, latencyUs } = (value ?? {}) as { requests?: unknown; latencyUs?: Record<string, unknown> }
  if (!isCount(requests) || typeof latencyUs !== "object" || latencyUs === null) throw unreadable()
  const figures = LATENCY_KEYS.map((key) => latencyUs[key])
  if (!figures.every((n): n is number => typeof n === "number" && Number.isFinite(n) && n >= 0)) throw unreadable()
  const [p50, p75, p90, p95, p99, max, mean] = figures as [number, number, number, number, number, number, number]
  return { requests, latencyUs: { p50, p75, p90, p95, p99, max, mean } }
}

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0
