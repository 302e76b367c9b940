/** What `status` and `history` show: the ledger's view and the host's, rendered for people or JSON (pure renderers). */
import type { LockStatus } from "../ledger/lock/types.js"
import { describeOwner } from "../ledger/owner.js"
import type { DeployRecord } from "../ledger/record.js"
import type { WebContainer } from "./host-state.js"
import type { Serving } from "./serving.js"

/** One container of the environment as status shows it: role, release, health, resources. */
export interface ContainerStatus {
  name: string
  role: string
  state: string
  health: string
  live: boolean
  digest: string | null
  version: string | null
  colour: string | null
  restarts: number
  cpuPercent: number | null
  memoryBytes: number | null
  memoryLimitBytes: number | null
  memoryPercent: number | null
}

export interface EnvironmentStatus {
  env: string
  /** What a user would hit, from the proxy and its live route: the one truth about what serves. */
  serving: Serving
  current: DeployRecord | null
  previousStable: DeployRecord | null
  lock: LockStatus | null
  containers: ContainerStatus[]
}

export type { WebContainer }

const mib = (bytes: number | null) => (bytes === null ? "-" : `${(bytes / 1024 / 1024).toFixed(1)}MiB`)

const short = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12)
const when = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "-")

export function renderStatus(status: EnvironmentStatus): string {
  const lock = status.lock
  const lockLine =
    lock === null
      ? "free"
      : lock.state === "held"
        ? `held by ${describeOwner(lock.row.owner)} since ${when(lock.row.since)}: ${lock.row.message}`
        : lock.state === "stale"
          ? `free (a stale row from ${describeOwner(lock.row.owner)} is left)`
          : `held by a session outside deploy-pipeline (backend ${lock.backendPid ?? "?"})`
  const release = (r: DeployRecord | null) =>
    r ? `${short(r.image.digest)} (#${r.id} ${r.action}, ${when(r.finishedAt)}, by ${r.requestedBy})` : "none"
  const { serving } = status
  const servingLine =
    serving.state === "up"
      ? `up: ${short(serving.digest!)}${serving.version ? ` ${serving.version}` : ""}`
      : serving.state === "down"
        ? "DOWN"
        : "nothing deployed yet"
  const lines = [
    `${status.env}`,
    `  serving   ${servingLine}`,
    ...(serving.note ? [`            ${serving.note}`] : []),
    `  live      ${release(status.current)}`,
    `  previous  ${release(status.previousStable)}`,
    `  lock      ${lockLine}`,
    `  containers${status.containers.length ? "" : "  none"}`,
    ...status.containers.map((c) =>
      [
        `    ${c.name.padEnd(40)}`,
        c.role.padEnd(5),
        (c.live ? "live" : "").padEnd(4),
        c.state.padEnd(8),
        c.health.padEnd(9),
        `cpu ${c.cpuPercent === null ? "-" : `${c.cpuPercent.toFixed(1)}%`}`.padEnd(10),
        `mem ${mib(c.memoryBytes)}`.padEnd(14),
        c.digest ? `${short(c.digest)} ${c.version ?? ""}` : "",
      ]
        .join(" ")
        .trimEnd(),
    ),
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
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
}
