/**
 * A report as people and programs read it: aligned text with milliseconds to the microsecond,
 * or JSON with the same fields as LoadTestReport. Neither ends in a newline (Outcome convention).
 */
import type { LoadTestReport } from "./report.js"

const ms = (n: number) => n.toFixed(3)

export function renderText(report: LoadTestReport): string {
  const { settings: s, latencyMs: l, errors: e } = report
  const kinds = (["connect", "read", "write", "timeout"] as const).filter((k) => e[k] > 0).map((k) => `${k} ${e[k]}`)
  if (e.status > 0) kinds.push(`non-2xx/3xx ${e.status}`)
  return [
    `load test of ${report.target}: ${s.connections} connections on ${s.threads} threads for ${s.durationSeconds} s (timeout ${s.timeoutSeconds} s)`,
    `  requests    ${report.requests} in ${report.durationSeconds.toFixed(2)} s`,
    `  rps         ${report.rps.toFixed(2)}`,
    `  latency ms  p50 ${ms(l.p50)}  p75 ${ms(l.p75)}  p90 ${ms(l.p90)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  max ${ms(l.max)}  mean ${ms(l.mean)}`,
    `  errors      ${e.total}${kinds.length > 0 ? ` (${kinds.join(", ")})` : ""}`,
  ].join("\n")
}

export function renderJson(report: LoadTestReport): string {
  return JSON.stringify(report, null, 2)
}
