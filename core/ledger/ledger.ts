/**
 * The deploy ledger: one append-only row per deploy, rollback or scale of an environment, in the
 * environment's own Postgres. It is the source of truth for "what runs now" (current) and "what
 * to roll back to" (previousStable), so rollback works while the registry, Git or CI is down.
 * Timestamps come from the injected clock; the database only stores them.
 */
import { describeOwner } from "./owner.js"
import { type Clock, dateAt, systemClock } from "../time/clock.js"
import { RecordNotFoundError, RecordNotInProgressError } from "./errors.js"
import { deployLockKey } from "./keys.js"
import { sessionHoldsLockSql } from "./liveness.js"
import { abortedMessage } from "./messages.js"
import {
  type DeployRecord,
  type DeployRow,
  type FinalResult,
  type RecordFields,
  type StartInput,
  toRecord,
} from "./record.js"
import { type Queryable, ident } from "./sql.js"

const RELEASES = `action IN ('deploy', 'rollback') AND result = 'succeeded'`

export class Ledger {
  private readonly table: string

  constructor(
    private readonly db: Queryable,
    readonly schema: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.table = `${ident(schema)}.deploys`
  }

  /** Records the start of a deploy, rollback or scale; returns its id. */
  async start(input: StartInput): Promise<number> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO ${this.table} (env, action, requested_by, approval, image_ref, image_digest, git_commit, config_hash,
         previous_digest, color_from, color_to, rolled_back_from, unsafe_override_reason, started_at,
         owner_who, owner_host, owner_pid, lock_backend_pid, lock_backend_start)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
      [
        input.env,
        input.action,
        input.requestedBy,
        input.approval,
        input.image.ref,
        input.image.digest,
        input.commit,
        input.configHash,
        input.previousDigest,
        input.colorFrom,
        input.colorTo,
        input.rolledBackFrom ?? null,
        input.unsafeOverride ?? null,
        dateAt(this.clock),
        input.owner.who,
        input.owner.host,
        input.owner.pid,
        input.lock.backendPid,
        input.lock.backendStart,
      ],
    )
    return Number(rows[0]?.id)
  }

  /** Appends a finished step to the record's phases; ms is measured from startedAt to now. */
  async phase(id: number, step: string, startedAt: Date, detail: string | null = null): Promise<void> {
    const entry = { step, started_at: startedAt.toISOString(), ms: this.clock.now() - startedAt.getTime(), detail }
    await this.update(id, `phases = phases || $2::jsonb`, [JSON.stringify([entry])])
  }

  /** Adds fields learned mid-deploy (backup, migrations, switch time) to a running record. */
  async amend(id: number, fields: RecordFields): Promise<DeployRecord> {
    const [sets, values] = fieldSets(fields, 2)
    return this.update(id, sets.length > 0 ? sets.join(", ") : "id = id", values)
  }

  /** Ends a running record with its result; finished_at and duration_ms come from the clock. */
  async finish(id: number, result: FinalResult, fields: RecordFields = {}): Promise<DeployRecord> {
    const [sets, values] = fieldSets(fields, 4)
    const set = [
      `result = $2`,
      `finished_at = $3`,
      `duration_ms = round(extract(epoch FROM $3::timestamptz - started_at) * 1000)::integer`,
      ...sets,
    ]
    return this.update(id, set.join(", "), [result, dateAt(this.clock), ...values])
  }

  async get(id: number): Promise<DeployRecord> {
    const { rows } = await this.db.query<DeployRow>(`SELECT * FROM ${this.table} WHERE id = $1`, [id])
    if (rows[0] === undefined) throw new RecordNotFoundError(id)
    return toRecord(rows[0])
  }

  /** The last successful deploy or rollback of `digest` (what rollback --to goes to); scales and restores are not releases. */
  async lastRelease(env: string, digest: string): Promise<DeployRecord | null> {
    const { rows } = await this.db.query<DeployRow>(
      `SELECT * FROM ${this.table} WHERE env = $1 AND image_digest = $2 AND ${RELEASES} ORDER BY id DESC LIMIT 1`,
      [env, digest],
    )
    return rows[0] ? toRecord(rows[0]) : null
  }

  /** The deploy that took backup `id` (restores record the backup they restored too, so they are not it). */
  async backupTakenBy(env: string, id: string): Promise<DeployRecord | null> {
    const { rows } = await this.db.query<DeployRow>(
      `SELECT * FROM ${this.table} WHERE env = $1 AND backup_id = $2 AND action = 'deploy' ORDER BY id LIMIT 1`,
      [env, id],
    )
    return rows[0] ? toRecord(rows[0]) : null
  }

  /** The environment's records, newest first. */
  async history(env: string, limit = 20): Promise<DeployRecord[]> {
    const { rows } = await this.db.query<DeployRow>(
      `SELECT * FROM ${this.table} WHERE env = $1 ORDER BY id DESC LIMIT $2`,
      [env, limit],
    )
    return rows.map(toRecord)
  }

  /** What runs now: the last deploy or rollback that succeeded. */
  async current(env: string): Promise<DeployRecord | null> {
    const { rows } = await this.db.query<DeployRow>(
      `SELECT * FROM ${this.table} WHERE env = $1 AND ${RELEASES} ORDER BY id DESC LIMIT 1`,
      [env],
    )
    return rows[0] ? toRecord(rows[0]) : null
  }

  /**
   * What a rollback goes to: the last successful release whose digest differs from the current
   * one. After a rollback the release rolled back from is the newest such release, so a rollback
   * of a rollback returns to where it started.
   */
  async previousStable(env: string): Promise<DeployRecord | null> {
    const { rows } = await this.db.query<DeployRow>(
      `SELECT * FROM ${this.table} WHERE env = $1 AND ${RELEASES}
         AND image_digest <> (SELECT image_digest FROM ${this.table} WHERE env = $1 AND ${RELEASES} ORDER BY id DESC LIMIT 1)
       ORDER BY id DESC LIMIT 1`,
      [env],
    )
    return rows[0] ? toRecord(rows[0]) : null
  }

  /** Marks `started` records whose deployer's lock session is gone as `aborted`; returns them, oldest first. */
  async abortStale(env: string): Promise<DeployRecord[]> {
    const [classid, objid] = deployLockKey(this.schema, env)
    const dead = `NOT ${sessionHoldsLockSql("lock_backend_pid", "lock_backend_start", "$2", "$3")}`
    const { rows: candidates } = await this.db.query<DeployRow>(
      `SELECT * FROM ${this.table} WHERE env = $1 AND result = 'started' AND ${dead} ORDER BY id`,
      [env, classid, objid],
    )
    const aborted: DeployRecord[] = []
    for (const candidate of candidates.map(toRecord)) {
      const { rows } = await this.db.query<DeployRow>(
        `UPDATE ${this.table} SET result = 'aborted', error = $5, finished_at = $6,
           duration_ms = round(extract(epoch FROM $6::timestamptz - started_at) * 1000)::integer
         WHERE id = $4 AND env = $1 AND result = 'started' AND ${dead} RETURNING *`,
        [
          env,
          classid,
          objid,
          candidate.id,
          abortedMessage(describeOwner(candidate.owner), candidate.lock.backendPid),
          dateAt(this.clock),
        ],
      )
      if (rows[0] !== undefined) aborted.push(toRecord(rows[0]))
    }
    return aborted
  }

  private async update(id: number, set: string, values: unknown[]): Promise<DeployRecord> {
    const { rows } = await this.db.query<DeployRow>(
      `UPDATE ${this.table} SET ${set} WHERE id = $1 AND result = 'started' RETURNING *`,
      [id, ...values],
    )
    if (rows[0] !== undefined) return toRecord(rows[0])
    throw new RecordNotInProgressError(id, (await this.get(id)).result)
  }
}

/** SET clauses for the given fields, numbering parameters from `first`. */
function fieldSets(fields: RecordFields, first: number): [string[], unknown[]] {
  const sets: string[] = []
  const values: unknown[] = []
  const add = (column: string, value: unknown, cast = "") => {
    values.push(value)
    sets.push(`${column} = $${first + values.length - 1}${cast}`)
  }
  if (fields.switchedAt !== undefined) add("switched_at", fields.switchedAt)
  if (fields.colorTo !== undefined) add("color_to", fields.colorTo)
  if (fields.migrations !== undefined) add("migrations", JSON.stringify(fields.migrations), "::jsonb")
  if (fields.unsafeOverride !== undefined) add("unsafe_override_reason", fields.unsafeOverride)
  if (fields.backup !== undefined) {
    add("backup_id", fields.backup.id)
    add("backup_location", fields.backup.location)
    add("backup_sha256", fields.backup.sha256)
  }
  if (fields.error !== undefined) add("error", fields.error)
  return [sets, values]
}
