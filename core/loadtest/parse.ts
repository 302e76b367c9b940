/**
 * Reads wrk's own --latency report (plain text, no Lua needed): requests, elapsed time,
 * requests/sec, mean and max latency, the 50/75/90/99th percentiles, and the error counts
 * wrk prints only when they are non-zero (socket errors; non-2xx/3xx responses). Times in
 * seconds are padded ("1.10s "), so trailing blanks are allowed.
 */
import { LoadTestError } from "./errors.js"
import { timeToMs, timeToSeconds } from "./units.js"

export interface WrkErrors {
  connect: number
  read: number
  write: number
  timeout: number
  /** Responses whose status was not 2xx or 3xx. */
  status: number
}

export interface WrkSummary {
  requests: number
  /** Measured, as wrk prints it ("in 10.00s"): a little over the requested duration. */
  durationSeconds: number
  rps: number
  latencyMs: { p50: number; p75: number; p90: number; p99: number; max: number; mean: number }
  errors: WrkErrors
}

const TIME = "\\d+(?:\\.\\d+)?(?:us|ms|s|m|h)"

export function parseWrk(stdout: string): WrkSummary {
  const lines = stdout.split("\n")
  const find = (what: string, pattern: RegExp): RegExpExecArray => {
    for (const line of lines) {
      const match = pattern.exec(line)
      if (match) return match
    }
    throw new LoadTestError(
      "wrk-output",
      `cannot read wrk's output: no ${what} line (was wrk run with --latency?)\n${stdout.trim().split("\n").slice(0, 20).join("\n")}`,
    )
  }
  const latency = find("Latency", new RegExp(`^\\s+Latency\\s+(${TIME})\\s+(${TIME})\\s+(${TIME})\\s`))
  const percentile = (p: number) => timeToMs(find(`${p}% latency`, new RegExp(`^\\s+${p}%\\s+(${TIME})\\s*$`))[1]!)
  const total = find("requests", new RegExp(`^\\s+(\\d+) requests in (${TIME}), `))
  const rps = find("Requests/sec", /^Requests\/sec:\s+(\d+(?:\.\d+)?)$/)
  const socket = /^\s+Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)$/
  const socketErrors = lines.map((l) => socket.exec(l)).find((m) => m !== null)
  const status = lines.map((l) => /^\s+Non-2xx or 3xx responses: (\d+)$/.exec(l)).find((m) => m !== null)
  return {
    requests: Number(total[1]),
    durationSeconds: timeToSeconds(total[2]!),
    rps: Number(rps[1]),
    latencyMs: {
      p50: percentile(50),
      p75: percentile(75),
      p90: percentile(90),
      p99: percentile(99),
      max: timeToMs(latency[3]!),
      mean: timeToMs(latency[1]!),
    },
    errors: {
      connect: Number(socketErrors?.[1] ?? 0),
      read: Number(socketErrors?.[2] ?? 0),
      write: Number(socketErrors?.[3] ?? 0),
      timeout: Number(socketErrors?.[4] ?? 0),
      status: Number(status?.[1] ?? 0),
    },
  }
}
