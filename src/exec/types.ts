/**
 * The one seam between "what to run" and "where it runs". Builders elsewhere return argv arrays;
 * an Executor runs them: locally as a child process (src/exec/local.ts) or, later, inside a Dagger
 * container. Keeping it this small lets every caller be tested with the real local executor.
 */

export interface ExecOptions {
  /** Variables added to the executor's base environment (secrets such as PGPASSWORD go here, never in argv). */
  env?: Readonly<Record<string, string>>
  /**
   * Names of secrets the command needs in its environment. The executor supplies their values
   * from its own store (resolved values locally, Dagger Secrets under Dagger); callers never hold them.
   */
  secretEnv?: readonly string[]
  /** Stream standard output into this file instead of collecting it (then `stdout` is ""). */
  stdoutFile?: string
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
