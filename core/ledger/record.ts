/**
 * The shape of a ledger record, in TypeScript and in its table row, and the one mapping between
 * them. Everything else in the ledger speaks DeployRecord; only this file knows column names.
 */
import type { Owner } from "./owner.js"

export const ACTIONS = ["deploy", "rollback", "scale", "restore"] as const
export type Action = (typeof ACTIONS)[number]

export const RESULTS = ["started", "succeeded", "failed", "rolled_back", "aborted"] as const
export type Result = (typeof RESULTS)[number]
export type FinalResult = Exclude<Result, "started">

export interface Image {
  ref: string
  /** sha256:<64 hex>; deploys pin digests, never tags. */
  digest: string
}

/** A Django migration, as django_migrations names it. */
export interface AppliedMigration {
  app: string
  name: string
}

export interface BackupRef {
  id: string
  location: string
  sha256: string
}

export interface Phase {
  step: string
  startedAt: Date
  ms: number
  detail: string | null
}

/** The dedicated lock connection of a deploy: its backend pid and start time identify it uniquely. */
export interface LockSession {
  backendPid: number
  backendStart: Date
}

export interface StartInput {
  env: string
  action: Action
  requestedBy: string
  approval: string | null
  image: Image
  commit: string | null
  configHash: string | null
  previousDigest: string | null
  colorFrom: string | null
  colorTo: string | null
  rolledBackFrom?: number | null
  unsafeOverride?: string | null
  owner: Owner
  lock: LockSession
}

/** Fields a running record may gain before or when it finishes. */
export interface RecordFields {
  switchedAt?: Date
  colorTo?: string
  migrations?: AppliedMigration[]
  unsafeOverride?: string
  backup?: BackupRef
  error?: string
}

export interface DeployRecord {
  id: number
  env: string
  action: Action
  requestedBy: string
  approval: string | null
  image: Image
  commit: string | null
  configHash: string | null
  previousDigest: string | null
  colorFrom: string | null
  colorTo: string | null
  migrations: AppliedMigration[]
  unsafeOverride: string | null
  backup: BackupRef | null
  phases: Phase[]
  startedAt: Date
  switchedAt: Date | null
  finishedAt: Date | null
  durationMs: number | null
  result: Result
  error: string | null
  rolledBackFrom: number | null
  owner: Owner
  lock: LockSession
}

export interface DeployRow {
  id: string
  env: string
  action: Action
  requested_by: string
  approval: string | null
  image_ref: string
  image_digest: string
  git_commit: string | null
  config_hash: string | null
  previous_digest: string | null
  color_from: string | null
  color_to: string | null
  migrations: AppliedMigration[]
  unsafe_override_reason: string | null
  backup_id: string | null
  backup_location: string | null
  backup_sha256: string | null
  phases: { step: string; started_at: string; ms: number; detail: string | null }[]
  started_at: Date
  switched_at: Date | null
  finished_at: Date | null
  duration_ms: number | null
  result: Result
  error: string | null
  rolled_back_from: string | null
  owner_who: string
  owner_host: string
  owner_pid: number
  lock_backend_pid: number
  lock_backend_start: Date
}

export function toRecord(row: DeployRow): DeployRecord {
  return {
    id: Number(row.id),
    env: row.env,
    action: row.action,
    requestedBy: row.requested_by,
    approval: row.approval,
    image: { ref: row.image_ref, digest: row.image_digest },
    commit: row.git_commit,
    configHash: row.config_hash,
    previousDigest: row.previous_digest,
    colorFrom: row.color_from,
    colorTo: row.color_to,
    migrations: row.migrations,
    unsafeOverride: row.unsafe_override_reason,
    backup:
      row.backup_id !== null && row.backup_location !== null && row.backup_sha256 !== null
        ? { id: row.backup_id, location: row.backup_location, sha256: row.backup_sha256 }
        : null,
    phases: row.phases.map((p) => ({ step: p.step, startedAt: new Date(p.started_at), ms: p.ms, detail: p.detail })),
    startedAt: row.started_at,
    switchedAt: row.switched_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    result: row.result,
    error: row.error,
    rolledBackFrom: row.rolled_back_from === null ? null : Number(row.rolled_back_from),
    owner: { who: row.owner_who, host: row.owner_host, pid: row.owner_pid },
    lock: { backendPid: row.lock_backend_pid, backendStart: row.lock_backend_start },
  }
}
