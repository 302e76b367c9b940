/**
 * A config problem is a located, human message: `<file>:<line>:<col> <path>: <message>`.
 * Every check in core/config reports these; nothing in it throws at a user.
 */
import { PipelineError } from "../errors/pipeline-error.js"

export interface ConfigProblem {
  file: string
  line: number
  col: number
  /** Dotted key path, or "(file)" for a problem with the whole file. */
  path: string
  message: string
}

export const WHOLE_FILE = "(file)"

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.col} ${problem.path}: ${problem.message}`
}

/** Dotted path as users write it: `runtime.resources.limits.cpus`, `security.scan.severity[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return WHOLE_FILE
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    "",
  )
}

/** Thrown at the Dagger and CLI edges when config problems stop a command; its message lists them all. */
export class ConfigError extends PipelineError {
  override readonly name = "ConfigError"
  readonly code = "config-invalid"
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"))
  }
}
