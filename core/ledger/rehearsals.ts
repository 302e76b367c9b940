/**
 * Rehearsals in the ledger (table `rehearsals`, ledger migration 4): one row per `migrations
 * rehearse`, with the release's digest, where the data came from, each migration's measurements
 * and whether they all applied. A deploy that requires a rehearsal reads the newest row of its
 * digest (deploy/rehearsal-requirement.ts). Rows are only ever inserted.
 */
import { type Queryable, ident } from "./sql.js"

export type RehearsalResult = "passed" | "failed"

export interface RehearsalRow {
  env: string
  image: { ref: string; digest: string }
  /** Where the data came from: "backup <id>" or "pg_dump of <database>". */
  source: string
  result: RehearsalResult
  /** Per-migration measurements, as the JSON report has them. */
  migrations: readonly unknown[]
  error: string | null
  requestedBy: string
  startedAt: Date
  finishedAt: Date
}

export interface RecordedRehearsal extends RehearsalRow {
  id: number
}

/** Inserts a finished rehearsal; returns its id. */
export async function recordRehearsal(db: Queryable, schema: string, row: RehearsalRow): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO ${ident(schema)}.rehearsals (env, image_ref, image_digest, source, result, migrations, error, requested_by, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10) RETURNING id`,
    [
      row.env,
      row.image.ref,
      row.image.digest,
      row.source,
      row.result,
      JSON.stringify(row.migrations),
      row.error,
      row.requestedBy,
      row.startedAt,
      row.finishedAt,
    ],
  )
  return Number(rows[0]?.id)
}

interface Row {
  id: string
  env: string
  image_ref: string
  image_digest: string
  source: string
  result: RehearsalResult
  migrations: unknown[]
  error: string | null
  requested_by: string
  started_at: Date
  finished_at: Date
}

/** The newest rehearsal of `digest` in `env`, passed or failed, or null. */
export async function latestRehearsal(
  db: Queryable,
  schema: string,
  env: string,
  digest: string,
): Promise<RecordedRehearsal | null> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM ${ident(schema)}.rehearsals WHERE env = $1 AND image_digest = $2 ORDER BY id DESC LIMIT 1`,
    [env, digest],
  )
  const row = rows[0]
  if (!row) return null
  return {
    id: Number(row.id),
    env: row.env,
    image: { ref: row.image_ref, digest: row.image_digest },
    source: row.source,
    result: row.result,
    migrations: row.migrations,
    error: row.error,
    requestedBy: row.requested_by,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  }
}
