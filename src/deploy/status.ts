/** What `status` and `history` show: the ledger's view and the host's, rendered for people or JSON (pure renderers). */
import type { LockStatus } from "../ledger/lock/types.js"
import { describeOwner } from "../ledger/owner.js"
import type { DeployRecord } from "../ledger/record.js"
import type { WebContainer } from "./host-state.js"

export interface EnvironmentStatus {
  env: string
  current: DeployRecord | null
  previousStable: DeployRecord | null
  lock: LockStatus | null
  containers: WebContainer[]
}

const short = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12)
const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "-")

export function renderStatus(status: EnvironmentStatus): string {
  const lock = status.lock
  const lockLine =
    lock === null ? "free" : lock.state === "held" ? `held by ${describeOwner(lock.row.owner)} since ${when(lock.row.since)}: ${lock.row.message}` : lock.state === "stale" ? `free (a stale row from ${describeOwner(lock.row.owner)} is left)` : `held by a session outside deploy-pipeline (backend ${lock.backendPid ?? "?"})`
  const release = (r: DeployRecord | null) => (r ? `${short(r.image.digest)} (#${r.id} ${r.action}, ${when(r.finishedAt)}, by ${r.requestedBy})` : "none")
  const lines = [
    `${status.env}`,
    `  live      ${release(status.current)}`,
    `  previous  ${release(status.previousStable)}`,
    `  lock      ${lockLine}`,
    `  containers${status.containers.length ? "" : "  none"}`,
    ...status.containers.map((c) => `    ${c.name.padEnd(40)} ${c.state.padEnd(8)} ${c.colour.padEnd(5)} ${short(c.digest)} ${c.version}`),
  ]
  return lines.join("\n")
}

export function renderHistory(records: readonly DeployRecord[]): string {
  if (records.length === 0) return "no deploys yet"
  const rows = records.map((r) => [
    `#${r.id}`,
    r.action,
    r.result,
    short(r.image.digest),
    when(r.startedAt),
    r.durationMs === null ? "-" : `${(r.durationMs / 1000).toFixed(1)}s`,
    r.requestedBy,
    r.approval ?? "",
    r.backup?.id ?? "",
    r.error ? r.error.split("\n")[0]!.slice(0, 80) : "",
  ])
  const header = ["id", "action", "result", "digest", "started", "took", "by", "approval", "backup", "error"]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")
}
