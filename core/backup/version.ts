/**
 * pg_dump cannot dump a server newer than itself ("server version mismatch"), so the version is
 * checked before anything is written, with a message that says which client to install.
 */

/** The major version from `pg_dump --version` output, e.g. "pg_dump (PostgreSQL) 15.20 (Debian …)" → 15. */
export function parseToolMajor(output: string): number | undefined {
  const match = /\(PostgreSQL\) (\d+)(?:\.(\d+))?/.exec(output)
  if (match?.[1] === undefined) return undefined
  return Number(match[1])
}

/** The major version from server_version_num: 150020 → 15 (and 90624 → 9 for the 9.x series). */
export function serverMajor(serverVersionNum: number): number {
  return Math.floor(serverVersionNum / 10000)
}
