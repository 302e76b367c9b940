/** Runs the CLI two ways: in-process through runCli (fast), and as a process over the sources (test/helpers/bin.ts). */
import { execFile, spawnSync } from "node:child_process"
import { join } from "node:path"
import { runCli } from "../../core/cli/main.js"
import { ROOT } from "./paths.js"

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  ms: number
}

export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = ""
  let stderr = ""
  const started = Date.now()
  const code = await runCli(argv, { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`) })
  return { code, stdout, stderr, ms: Date.now() - started }
}

/** node's arguments that start the CLI process from the TypeScript sources, whatever the cwd. */
export const CLI_ARGV: readonly string[] = [
  "--import",
  import.meta.resolve("tsx"),
  join(ROOT, "test", "helpers", "bin.ts"),
]

export function cliProcess(argv: string[], cwd = ROOT): CliResult {
  const started = Date.now()
  const result = spawnSync(process.execPath, [...CLI_ARGV, ...argv], { cwd, encoding: "utf8", timeout: 60_000 })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started }
}

/** cliProcess without blocking this process's event loop: for specs whose service relays (service-relay.ts) the CLI reaches. */
export function cliProcessAsync(argv: string[], cwd = ROOT): Promise<CliResult> {
  const started = Date.now()
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...CLI_ARGV, ...argv],
      { cwd, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : -1) : 0,
          stdout,
          stderr,
          ms: Date.now() - started,
        })
      },
    )
  })
}
