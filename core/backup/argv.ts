/**
 * Pure builders of the pg_dump and pg_restore command lines. They return argv arrays for an
 * Executor to run; tests compare them whole. No password ever appears here (see connection.ts).
 */
import { type PgConn, connectionArgs } from "./connection.js"

export interface Programs {
  pgDump: string
  pgRestore: string
}

export const DEFAULT_PROGRAMS: Programs = { pgDump: "pg_dump", pgRestore: "pg_restore" }

export interface DumpArgs {
  file: string
  /** Fail instead of queueing behind a conflicting table lock for longer than this. */
  lockWaitTimeoutMs: number
  /** An exported snapshot (pg_export_snapshot) to dump, so row counts taken in it match the dump. */
  snapshot?: string
}

/** pg_dump in custom format, compression 6, without ownership, into a file. */
export function pgDumpArgv(conn: PgConn, args: DumpArgs, program = DEFAULT_PROGRAMS.pgDump): string[] {
  return [
    program,
    "-Fc",
    "-Z6",
    `--lock-wait-timeout=${args.lockWaitTimeoutMs}`,
    "--no-owner",
    ...(args.snapshot === undefined ? [] : [`--snapshot=${args.snapshot}`]),
    ...connectionArgs(conn),
    `--file=${args.file}`,
    `--dbname=${conn.database}`,
  ]
}

export interface RestoreArgs {
  file: string
  /** Drop each object before recreating it (restoring over a live database). */
  clean?: boolean
  /** Schemas left as they are in the target (the ledger keeps its history across a restore). */
  excludeSchemas?: readonly string[]
  /** A table of contents (edited pg_restore --list output) naming what to restore. */
  useList?: string
}

/** pg_restore all-or-nothing: one transaction, stop at the first error, no owners or grants. */
export function pgRestoreArgv(conn: PgConn, args: RestoreArgs, program = DEFAULT_PROGRAMS.pgRestore): string[] {
  return [
    program,
    "--exit-on-error",
    "--single-transaction",
    "--no-owner",
    "--no-privileges",
    ...(args.clean === true ? ["--clean", "--if-exists"] : []),
    ...(args.excludeSchemas ?? []).map((schema) => `--exclude-schema=${schema}`),
    ...(args.useList === undefined ? [] : [`--use-list=${args.useList}`]),
    ...connectionArgs(conn),
    `--dbname=${conn.database}`,
    args.file,
  ]
}

/** pg_restore --list: reads the whole table of contents, the cheapest proof the archive is readable. */
export function pgRestoreListArgv(file: string, program = DEFAULT_PROGRAMS.pgRestore): string[] {
  return [program, "--list", file]
}

export function versionArgv(program: string): string[] {
  return [program, "--version"]
}
