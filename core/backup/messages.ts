/** The backup's texts, pure, so tests pin them verbatim and the error classes stay thin. */
import type { PgConn } from "./connection.js"

export function commandFailedMessage(argv: readonly string[], exitCode: number, stderr: string): string {
  const detail = stderr.trim().split("\n").slice(-5).join("\n")
  return `${argv[0]} exited with ${exitCode}${detail === "" ? "" : `: ${detail}`}`
}

export function unreadableVersionMessage(program: string, output: string): string {
  return `cannot read the version of ${program} from ${JSON.stringify(output.trim())}; expected a line such as "pg_dump (PostgreSQL) 15.6"`
}

export function dumpTooOldMessage(program: string, toolMajor: number, server: number): string {
  return (
    `${program} ${toolMajor} is older than the server (PostgreSQL ${server}), and pg_dump refuses to dump a newer server ("server version mismatch"). ` +
    `Use pg_dump ${server} or newer: Debian's postgresql-client-${server}, or the postgres:${server} image`
  )
}

export function lockTimeoutMessage(database: string, ms: number, cause: string): string {
  return `could not lock every table of ${database} for the backup within ${ms} ms (${cause}); another session holds a conflicting lock. Retry when it is done`
}

export function verifyFailedMessage(id: string, scratch: string, differences: readonly string[]): string {
  return `backup ${id} failed verification: restored into ${scratch}, it differs from the source:\n${differences.map((d) => `  - ${d}`).join("\n")}`
}

export function restoreRefusedMessage(id: string, confirm: string | undefined, target: PgConn): string {
  if (confirm === undefined || confirm === "") {
    return (
      `restoring ${id} replaces the data of ${target.database} on ${target.host}:${target.port} with the backup's and loses every write made since it was taken; ` +
      `it never happens on its own. To restore, pass --confirm-restore ${id}`
    )
  }
  return `--confirm-restore ${confirm} does not name the backup being restored (${id}); nothing was restored. To restore it, pass --confirm-restore ${id}`
}

export function backupNotFoundMessage(id: string, location: string): string {
  return `there is no backup ${id} in ${location} (it needs ${id}.dump and its manifest ${id}.json)`
}

export function backupDamagedMessage(id: string, file: string, actual: string, recorded: string): string {
  return `backup ${id} is damaged: ${file} has sha256 ${actual}, but ${recorded} was recorded when it was taken; nothing was restored`
}
