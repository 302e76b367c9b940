/**
 * Backup ids and file names. An id is "<env>-<UTC timestamp>-<first 12 hex of sha256>", such as
 * production-20240501T120304Z-3f2a9c1b0d4e: it sorts by time within an environment, names the
 * content it stands for, and is what an operator types to confirm a restore.
 */

export function backupStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "")
}

export function backupId(env: string, at: Date, sha256: string): string {
  return `${env}-${backupStamp(at)}-${sha256.slice(0, 12)}`
}

export function dumpFileName(id: string): string {
  return `${id}.dump`
}

export function manifestFileName(id: string): string {
  return `${id}.json`
}

/** The backup id a file name stands for, if it is one of env's dumps. */
export function idFromDumpFile(env: string, fileName: string): string | undefined {
  const escaped = env.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")
  const match = new RegExp(`^(${escaped}-\\d{8}T\\d{6}Z-[0-9a-f]{12})\\.dump$`).exec(fileName)
  return match?.[1]
}

/** A scratch database name for verifying a backup: unique, a plain identifier, at most 63 bytes. */
export function scratchDatabaseName(env: string, sha256: string, suffix: string): string {
  return `dp_verify_${env.replace(/[^a-z0-9_]/g, "_").slice(0, 20)}_${sha256.slice(0, 12)}_${suffix}`
}
