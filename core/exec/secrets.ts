/**
 * Resolves an environment's secret references on this machine, for the local executor (the CLI
 * and the tests). Under Dagger the same references become `dag.secret(uri)` instead, and their
 * values never reach this process. Values are returned for the docker CLI's environment only:
 * never logged, never put in argv.
 */
import { execFile } from "node:child_process"
import { readFile } from "node:fs/promises"
import { promisify } from "node:util"
import { PipelineError } from "../errors/pipeline-error.js"

const run = promisify(execFile)

export class SecretError extends PipelineError {
  override readonly name = "SecretError"
  readonly code = "secret-unresolved"
}

export async function resolveSecretRef(
  name: string,
  ref: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const match = /^([a-z]+):(?:\/\/)?(.*)$/.exec(ref)
  const [provider, rest] = match ? [match[1]!, match[2]!] : ["", ""]
  switch (provider) {
    case "env": {
      const value = env[rest]
      if (value === undefined)
        throw new SecretError(
          `secret ${name} comes from env:${rest}, which is not set; export ${rest} or change secrets.${name}`,
        )
      return value
    }
    case "file":
      try {
        return (await readFile(rest, "utf8")).replace(/\r?\n$/, "")
      } catch (error) {
        throw new SecretError(
          `secret ${name} comes from file:${rest}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        )
      }
    case "cmd":
      try {
        return (await run("sh", ["-c", rest], { timeout: 30_000 })).stdout.replace(/\r?\n$/, "")
      } catch {
        throw new SecretError(`secret ${name} comes from a command that failed; run it by hand to see why`)
      }
    default:
      throw new SecretError(
        `secret ${name} comes from ${provider}:, which only Dagger resolves; run this through dagger call, or name it env:NAME here`,
      )
  }
}

export async function resolveSecrets(
  refs: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(refs).map(async ([name, ref]) => [name, await resolveSecretRef(name, ref, env)] as const),
  )
  return Object.fromEntries(entries)
}
