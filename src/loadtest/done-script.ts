/**
 * The 95th percentile, honestly: wrk's --latency table prints 50/75/90/99 only, so a tiny Lua
 * done() hook (run once, after the test, in wrk's main thread) reads p95 from wrk's own latency
 * histogram and prints one marked JSON line. It sends no requests and changes none. The edges
 * write DONE_SCRIPT to a file and pass it with --script; parseDoneLine reads the line back.
 */
import { LoadTestError } from "./errors.js"

export const DONE_MARKER = "deploy-pipeline-wrk "

export const DONE_SCRIPT = [
  "-- deploy-pipeline load-test: print wrk's 95th latency percentile (microseconds) as one JSON line.",
  "-- done() runs once after the test; it only reads the results, it sends nothing.",
  "done = function(summary, latency, requests)",
  `  io.write(string.format('${DONE_MARKER}{"requests":%d,"p95Us":%d}\\n', summary.requests, latency:percentile(95)))`,
  "end",
  "",
].join("\n")

export interface DoneLine {
  requests: number
  p95Us: number
}

/** The done() line in wrk's stdout, or undefined when there is none (wrk ran without the script). */
export function parseDoneLine(stdout: string): DoneLine | undefined {
  const line = stdout.split("\n").find((l) => l.startsWith(DONE_MARKER))
  if (line === undefined) return undefined
  const json = line.slice(DONE_MARKER.length).trim()
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    throw new LoadTestError("wrk-output", `cannot read wrk's done() line: ${json}`, { cause: error })
  }
  const { requests, p95Us } = (value ?? {}) as Record<string, unknown>
  if (!isCount(requests) || !isCount(p95Us)) throw new LoadTestError("wrk-output", `cannot read wrk's done() line: ${json}`)
  return { requests, p95Us }
}

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0
