/** The target PostgreSQL version: from --pg-version ("15", "14.3") or the server's server_version_num. */
export interface PgVersion {
  major: number
  minor: number
}

/** What the analyzer assumes without --pg-version or --database: the major our test machines run. */
export const DEFAULT_PG_VERSION: PgVersion = { major: 15, minor: 0 }

export function parsePgVersion(text: string): PgVersion | undefined {
  const match = /^(\d{1,2})(?:\.(\d{1,3}))?$/.exec(text.trim())
  if (!match) return undefined
  const major = Number(match[1])
  if (major < 10 || major > 19) return undefined
  return { major, minor: Number(match[2] ?? 0) }
}

/** `150020` → 15.20 (the numbering of PostgreSQL 10 and later). */
export function fromServerVersionNum(num: number): PgVersion {
  return { major: Math.floor(num / 10000), minor: num % 10000 }
}

export function formatPgVersion(version: PgVersion): string {
  return `${version.major}.${version.minor}`
}
