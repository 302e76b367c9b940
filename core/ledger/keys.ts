/**
 * Advisory-lock keys. Postgres advisory locks are named by numbers, so names are hashed, and the
 * hash must never change between releases: two deploy-pipeline versions deploying the same
 * environment at once have to collide on the same key.
 *
 * Scheme (two-int form, pg_advisory_lock(int4, int4), shown in pg_locks as classid/objid with
 * objsubid = 2):
 *   classid = a fixed namespace, the ASCII bytes of a tag read as a big-endian int4:
 *             "DPLK" (0x44504C4B = 1146113099) for the deploy lock,
 *             "DPLM" (0x44504C4D = 1146113101) for ledger migrations;
 *   objid   = the first 4 bytes of sha256(UTF-8 text), as a big-endian signed int4, where text is
 *             "<schema>/<env>" for the deploy lock and "<schema>" for migrations.
 * The ledger schema is part of the text so two ledgers sharing one database never share a lock.
 * The same key in SQL (for operators): see keySql below, e.g. for deploy_pipeline/staging:
 *   ('x' || left(encode(sha256(convert_to('deploy_pipeline/staging', 'UTF8')), 'hex'), 8))::bit(32)::int
 */
import { createHash } from "node:crypto"

export const DEPLOY_LOCK_NAMESPACE = 0x44504c4b
export const MIGRATION_LOCK_NAMESPACE = 0x44504c4d

export type AdvisoryKey = readonly [classid: number, objid: number]

export function hashKey(text: string): number {
  return createHash("sha256").update(text, "utf8").digest().readInt32BE(0)
}

export function deployLockKey(schema: string, env: string): AdvisoryKey {
  return [DEPLOY_LOCK_NAMESPACE, hashKey(`${schema}/${env}`)]
}

export function migrationLockKey(schema: string): AdvisoryKey {
  return [MIGRATION_LOCK_NAMESPACE, hashKey(schema)]
}

/** The SQL expression that computes hashKey(text) inside Postgres (text as a bound parameter). */
export function keySql(parameter: string): string {
  return `('x' || left(encode(sha256(convert_to(${parameter}, 'UTF8')), 'hex'), 8))::bit(32)::int`
}
