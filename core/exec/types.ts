/**
 * The one seam between "what to run" and "where it runs". Builders elsewhere return argv arrays;
 * an Executor runs them: locally as a child process (core/exec/local.ts) or inside a Dagger
 * container (core/exec/dagger.ts for docker, core/exec/dagger-postgres.ts for pg_dump/pg_restore).
 * Keeping it this small lets every caller be tested with the real local executor.
 */

export interface ExecOptions {
  /** Plain variables added to the executor's base environment. Never secrets: name those in secretEnv. */
  env?: Readonly<Record<string, string>>
  /**
   * Names of secrets the command needs in its environment. The executor supplies their values
   * from its own store (resolved values locally, Dagger Secrets under Dagger); callers never hold them.
   */
  secretEnv?: readonly string[]
  /** Stream standard output into this file instead of collecting it (then `stdout` is ""). */
  stdoutFile?: string
  /**
   * Files of this process the command reads by path (a dump to restore, a table of contents).
   * An executor that runs commands elsewhere (Dagger) makes each one available at the same path;
   * the local executor ignores this, as the paths are already there.
   */
  inputFiles?: readonly string[]
  /**
   * Files the command writes by path (pg_dump --file=). An executor that runs commands elsewhere
   * brings each one back to this process at the same path once the command exits 0; the local
   * executor ignores this.
   */
  outputFiles?: readonly string[]
}

export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface Executor {
  /** Runs argv (no shell). A non-zero exit is a result, not a rejection; callers decide. */
  run(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>
}
