/**
 * Estimated lock time on the target: the statement's cost class times the target table's size,
 * divided by throughput measured on PostgreSQL 15 (1,000,000 rows, 138 MB, fsync=off; see
 * shared/reference/migration-safety.md §1 and §4). A real server with fsync and load is slower, so
 * read these as lower bounds and budget with a margin.
 */
import type { Operation } from "../operation.js"

const MEASURED_BYTES = 138_000_000

/** Milliseconds to process the 138 MB reference table, per cost class. */
export const REFERENCE_MS: Readonly<Record<Exclude<Operation, "none" | "metadata">, number>> = {
  /** Table rewrite: clock_timestamp() default 4.1 s (int → bigint 2.6 s, varchar shrink 2.9 s). */
  rewrite: 4100,
  /** UPDATE/DELETE of every row: each row gets a new version, about as costly as a rewrite. */
  dml: 4100,
  /** ADD UNIQUE: builds the unique index, 967 ms. */
  "unique-index": 967,
  /** CREATE INDEX: 558 ms. */
  index: 558,
  /** SET NOT NULL / CHECK validation scan: 325–411 ms, the upper figure. */
  scan: 411,
  /** Foreign key validation (scan plus lookups): 272 ms. */
  "fk-scan": 272,
}

/** A catalog-only change: 2–3 ms measured, whatever the table size. */
export const METADATA_MS = 3

export interface Estimate {
  operation: Operation
  table: string
  rows: number
  bytes: number
  ms: number
}

export function estimateMs(operation: Operation, bytes: number): number {
  if (operation === "none") return 0
  if (operation === "metadata") return METADATA_MS
  return Math.round(METADATA_MS + (bytes / MEASURED_BYTES) * REFERENCE_MS[operation])
}

export function estimate(
  operation: Operation,
  table: string,
  size: { rows?: number; bytes?: number } | undefined,
): Estimate | undefined {
  if (!size || size.bytes === undefined || operation === "none") return undefined
  return {
    operation,
    table,
    rows: Math.round(size.rows ?? 0),
    bytes: size.bytes,
    ms: estimateMs(operation, size.bytes),
  }
}
