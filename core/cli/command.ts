/**
 * What a CLI command is: a function from the parsed request to an Outcome. main.ts maps each
 * command's words to a lazy loader of the module in run/ that holds it, so a command loads only
 * the libraries it uses. This file imports no library (the error base is one small file), so main.ts
 * stays cheap to load.
 */
import type { Outcome } from "../commands/outcome.js"
import { PipelineError } from "../errors/pipeline-error.js"
import type { CliValues } from "./options.js"

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export interface CommandRequest {
  /** The command's words, such as "config check" or "lock release". */
  command: string
  values: CliValues
  /** Every positional argument, the command's words included. */
  positionals: readonly string[]
  /** The environments folder: --dir, or ./environments. */
  dir: string
  /** --json or --format json: the command prints one JSON document. */
  json: boolean
  io: CliIo
}

export type Command = (request: CommandRequest) => Promise<Outcome>

/** Wrong or missing arguments: the CLI prints the message with a pointer to help and exits 2. */
export class UsageError extends PipelineError {
  override readonly name = "UsageError"
  readonly code = "usage"
}

/** The environments folder is missing or unreadable: the CLI prints the message and exits 1. */
export class DirError extends PipelineError {
  override readonly name = "DirError"
  readonly code = "environments-dir"
}
