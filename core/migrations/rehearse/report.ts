/**
 * A rehearsal's report (pure): per migration, its wall time and, for each table that existed
 * before it, the strongest lock seen and how long it was held, whether the table was rewritten
 * (relfilenode changed) and the rows written and read; then the text table and the JSON document.
 */
import { type LockMode, strength } from "../locks.js"
import type { MigrationName } from "../pending.js"
import type { LockSpan, LockWatch, TableState } from "./measure.js"

export interface TableMeasure {
  table: string
  /** The strongest lock seen on it, or null when none was seen (held for less than a sample, or not at all). */
  lock: LockMode | null
  /** The longest continuous hold of `lock`: from the first to the last of consecutive samples that saw it granted. */
  heldMs: number | null
  /** How many separate holds of `lock` were seen (more than one: a non-atomic migration). */
  holds: number
  rewritten: boolean
  /** Live rows of the table when it was rewritten (what the rewrite copied). */
  rewrittenRows: number | null
  written: number
  read: number
}

export interface MigrationReport {
  app: string
  name: string
  result: "applied" | "failed" | "not run"
  /** The migrate command's wall time, container start and Django's start included. */
  wallMs: number | null
  tables: TableMeasure[]
  /** Mean ms between two lock samples: a lock held for less may not be seen. */
  sampleMs: number | null
  error?: string
}

export interface RehearsalReport {
  env: string
  image: string
  digest: string
  /** Where the data came from: "backup <id>" or "pg_dump of <database>". */
  source: string
  /** The scratch database it ran on (dropped afterwards). */
  scratch: string
  passed: boolean
  migrations: MigrationReport[]
  startedAt: string
  finishedAt: string
  /** Why the rehearsal stopped before any migration could be measured (the release could not list them, or its settings do not name the copy). */
  error?: string
}

/** One migration's report from the states before and after it and the locks seen while it ran. */
export function measureMigration(
  migration: MigrationName,
  run: { wallMs: number; error?: string },
  before: ReadonlyMap<string, TableState>,
  after: ReadonlyMap<string, TableState>,
  watch: LockWatch,
): MigrationReport {
  const tables: TableMeasure[] = []
  for (const [table, was] of [...before].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const now = after.get(table)
    const lock = strongestSpan(watch.spans.filter((s) => s.table === table))
    const rewritten = now !== undefined && was.filenode !== 0 && now.filenode !== was.filenode
    const written = now ? Math.max(0, now.written - was.written) : 0
    const read = now ? Math.max(0, now.read - was.read) : 0
    if (!lock && !rewritten && written === 0 && read === 0) continue
    tables.push({
      table,
      lock: lock?.mode ?? null,
      heldMs: lock ? round(lock.longestMs) : null,
      holds: lock?.holds ?? 0,
      rewritten,
      rewrittenRows: rewritten ? Math.max(was.liveRows, now!.liveRows) : null,
      written,
      read,
    })
  }
  return {
    app: migration.app,
    name: migration.name,
    result: run.error === undefined ? "applied" : "failed",
    wallMs: round(run.wallMs),
    tables,
    sampleMs: round(watch.sampleMs),
    ...(run.error !== undefined ? { error: run.error } : {}),
  }
}

export const notRun = (m: MigrationName): MigrationReport => ({
  app: m.app,
  name: m.name,
  result: "not run",
  wallMs: null,
  tables: [],
  sampleMs: null,
})

function strongestSpan(spans: readonly LockSpan[]): LockSpan | undefined {
  return [...spans].sort((a, b) => strength(b.mode) - strength(a.mode) || b.longestMs - a.longestMs)[0]
}

const round = (ms: number) => Math.round(ms * 10) / 10

export function formatMs(ms: number | null): string {
  if (ms === null) return "-"
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`
}

const count = (n: number) => n.toLocaleString("en-US")

const HEADER = [
  "migration",
  "result",
  "wall",
  "table",
  "strongest lock",
  "held",
  "rewrite",
  "rows written",
  "rows read",
]

export function renderRehearsalText(report: RehearsalReport): string {
  const rows: string[][] = []
  for (const m of report.migrations) {
    const first = [`${m.app}.${m.name}`, m.result, formatMs(m.wallMs)]
    const tables = m.tables.length > 0 ? m.tables : [undefined]
    tables.forEach((t, i) => {
      const lead = i === 0 ? first : ["", "", ""]
      if (!t)
        return rows.push([...lead, m.result === "not run" ? "" : "(no existing table touched)", "", "", "", "", ""])
      rows.push([
        ...lead,
        t.table,
        t.lock ?? "not seen",
        t.holds > 1 ? `${formatMs(t.heldMs)} (longest of ${t.holds})` : formatMs(t.heldMs),
        t.rewritten ? `yes (${count(t.rewrittenRows ?? 0)} rows)` : "no",
        count(t.written),
        count(t.read),
      ])
    })
  }
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()
  const failed = report.migrations.find((m) => m.result === "failed")
  const resolution = Math.max(0, ...report.migrations.map((m) => m.sampleMs ?? 0))
  const verdict =
    report.error !== undefined
      ? `failed: ${report.error}`
      : report.migrations.length === 0
        ? "passed: no pending migration"
        : failed
          ? `failed: ${failed.app}.${failed.name} failed on the copy${failed.error ? `:\n${failed.error}` : ""}`
          : `passed: ${report.migrations.length} migration${report.migrations.length === 1 ? "" : "s"} applied on the copy`
  return [
    `rehearsal of ${report.image} for ${report.env}, on ${report.source}, restored into ${report.scratch} (dropped)`,
    ...(report.migrations.length > 0 ? [line(HEADER), ...rows.map(line)] : []),
    `locks sampled about every ${resolution.toFixed(1)} ms; held = the longest run of consecutive samples that saw the lock, so a lock held for less than one sample may show as 0 ms or not at all; wall includes the container's and Django's start`,
    verdict,
  ].join("\n")
}

/** The report as one JSON document, with the ledger row it was recorded as. */
export function renderRehearsalJson(report: RehearsalReport & { ledgerId?: number }): string {
  return JSON.stringify(report, null, 2)
}
