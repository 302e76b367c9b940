/**
 * Errors a recording-engine hook can throw to make a field fail the way the engine would.
 *
 * Why: the SDK turns a GraphQL error whose `extensions._type` is "EXEC_ERROR" into an
 * `ExecError {cmd, exitCode, stdout, stderr}` and any other error into a GraphQLRequestError.
 * Throwing these from a hook exercises a module's error handling without an engine.
 */

/** A GraphQL field error; `extensions` is sent verbatim in the response's `errors[0]`. */
export class EngineError extends Error {
  readonly extensions: Record<string, unknown> | undefined

  constructor(message: string, extensions?: Record<string, unknown>) {
    super(message)
    this.name = "EngineError"
    this.extensions = extensions
  }
}

export interface ExecFailure {
  cmd: string[]
  exitCode: number
  stdout?: string
  stderr?: string
}

/** An error the SDK raises as `ExecError`, with the engine's message wording. */
export function execError(failure: ExecFailure, message?: string): EngineError {
  const text =
    message ?? `process "${failure.cmd.join(" ")}" did not complete successfully: exit code: ${failure.exitCode}`
  return new EngineError(text, {
    _type: "EXEC_ERROR",
    cmd: failure.cmd,
    exitCode: failure.exitCode,
    stdout: failure.stdout ?? "",
    stderr: failure.stderr ?? "",
  })
}
