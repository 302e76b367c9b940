/** Runs the CLI two ways: in-process through runCli (fast), and as the real `bin` process. */
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { runCli } from "../../src/cli/main.js"
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

export function cliProcess(argv: string[], cwd = ROOT): CliResult {
  const started = Date.now()
  const result = spawnSync(process.execPath, [join(ROOT, "bin", "deploy-pipeline.js"), ...argv], { cwd, encoding: "utf8", timeout: 60_000 })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started }
}
