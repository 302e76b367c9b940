/** Text and JSON renderings of check findings and trace results, shared by the CLI and Dagger surfaces. */
import type { Finding } from "./finding.js"
import type { TraceResult, TracedStatement } from "./trace/tracer.js"

export function renderFindingsJson(findings: readonly Finding[]): string {
  return JSON.stringify({ findings }, null, 2)
}

export function renderFindingsText(findings: readonly Finding[], context: string): string {
  const lines = findings.map((f) => {
    const lock = f.lock
      ? ` (${f.lock}${f.relation ? ` on ${f.relation}` : ""}${f.rewrites ? ", rewrites" : ""})`
      : f.rewrites
        ? " (rewrites)"
        : ""
    return `${f.file}:${f.line} ${f.severity} ${f.rule}${lock}\n  why: ${f.why}\n  fix: ${f.fix}`
  })
  return [...lines, summaryLine(findings, context)].join("\n")
}

export function summaryLine(findings: readonly Finding[], context: string): string {
  const count = (severity: Finding["severity"]) => findings.filter((f) => f.severity === severity).length
  const errors = count("error")
  if (findings.length === 0) return `No findings (${context}).`
  const parts = [plural(errors, "error"), plural(count("warning"), "warning"), plural(count("info"), "info")]
  return `${parts.join(", ")} (${context})${errors > 0 ? "; errors block staging and production unless overridden with a recorded reason" : ""}.`
}

const plural = (n: number, word: string) => (word === "info" ? `${n} info` : `${n} ${word}${n === 1 ? "" : "s"}`)

export function renderTraceJson(result: TraceResult, traced: string): string {
  return JSON.stringify(
    { statements: result.statements, database: { traced, unchanged: result.changed.length === 0 } },
    null,
    2,
  )
}

export function renderTraceText(result: TraceResult, traced: string): string {
  const lines = result.statements.map((s) => `${s.file}:${s.line} ${describe(s)}\n  ${oneLine(s.sql)}`)
  const unchanged =
    result.changed.length === 0
      ? `traced on ${traced}, left exactly as it was`
      : `traced on ${traced}, which CHANGED:\n${result.changed.map((l) => `  ${l}`).join("\n")}`
  return [...lines, unchanged].join("\n")
}

function describe(s: TracedStatement): string {
  if (s.note && s.locks.length === 0 && !s.error && s.ms === 0) return s.note
  const parts = [`${s.ms} ms${s.autocommit ? " (autocommit, watched)" : ""}`]
  parts.push(s.locks.length > 0 ? `locks ${s.locks.map((l) => `${l.mode} ${l.relation}`).join(", ")}` : "no new locks")
  if (s.held?.length)
    parts.push(`already held ${s.held.map((h) => `${h.mode} ${h.relation} (line ${h.since})`).join(", ")}`)
  if (s.reads?.length) parts.push(`reads ${s.reads.map((r) => `${r.relation} (${r.rows} rows)`).join(", ")}`)
  if (s.rewrites.length > 0) parts.push(`rewrites ${s.rewrites.join(", ")}`)
  if (s.emptied?.length) parts.push(`empties ${s.emptied.join(", ")}`)
  if (s.estimate)
    parts.push(
      `≈ ${s.estimate.ms} ms on the target (${s.estimate.operation} of ${s.estimate.table}: ${s.estimate.rows} rows, ${mb(s.estimate.bytes)})`,
    )
  if (s.error) parts.push(`FAILED: ${s.error}`)
  if (s.note) parts.push(s.note)
  return parts.join("; ")
}

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`
const oneLine = (sql: string) => {
  const flat = sql.replace(/\s+/g, " ")
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat
}
