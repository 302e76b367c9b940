/** Typed deploy failures. Each message says what happened and what to do next. */
import { PipelineError } from "../errors/pipeline-error.js"

export type DeployErrorCode =
  | "refused"
  | "build"
  | "preflight"
  | "boot"
  | "health-gate"
  | "switch"
  | "switched-back"
  | "backup"
  | "migrate"
  | "rollback-target"

export class DeployError extends PipelineError {
  override readonly name = "DeployError"
  constructor(
    readonly code: DeployErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** A failed docker command, as text: the command and the end of what it said. */
export function commandFailure(
  what: string,
  argv: readonly string[],
  result: { exitCode: number; stderr: string; stdout: string },
): string {
  const said = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-5).join("\n")
  return `${what}: \`${argv.join(" ")}\` exited ${result.exitCode}${said ? `\n${said}` : ""}`
}
