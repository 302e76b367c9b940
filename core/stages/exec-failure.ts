/**
 * Recognises the error the engine raises when a command in a pipeline exits non-zero.
 *
 * Why by shape and not `instanceof ExecError`: inside the engine, `@dagger.io/dagger` is the SDK
 * bundle the engine generates, whose index exports only `connection, connect, Context, func,
 * check, generate, argument, object, field, enumType, entrypoint` and the generated client
 * (dagger/dagger sdk/typescript/runtime/tsutils/module/index.ts). `ExecError` is not among them:
 * importing it kills the module at load time. The SDK's ExecError carries a stable name and
 * these fields (sdk/typescript/src/common/errors/ExecError.ts).
 */

export interface ExecFailure {
  cmd: readonly string[]
  exitCode: number
  stdout: string
  stderr: string
}

/** The failed command's facts when `error` is the SDK's ExecError, else undefined. */
export function asExecFailure(error: unknown): ExecFailure | undefined {
  if (!(error instanceof Error) || error.name !== "ExecError") return undefined
  const { cmd, exitCode, stdout, stderr } = error as Error & Partial<Record<keyof ExecFailure, unknown>>
  if (!Array.isArray(cmd) || typeof exitCode !== "number") return undefined
  return {
    cmd: cmd.map(String),
    exitCode,
    stdout: typeof stdout === "string" ? stdout : "",
    stderr: typeof stderr === "string" ? stderr : "",
  }
}
