/**
 * Runs a wrapper with a stand-in `dagger` (and `npx`) first on PATH: a small bash script that
 * records its name, working directory and argv, prints STANDIN_STDOUT and exits with
 * STANDIN_EXIT. The wrappers' exact argv, usage errors and exit codes are then tested with no
 * engine, registry or Docker host.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

import { ROOT } from "../../helpers/paths.js"

const STAND_IN = `#!/usr/bin/env bash
# Stand-in for dagger/npx in test/ci: one NUL-separated record per call: name, cwd, argv.
n=$(find "$STANDIN_CALLS" -type f | wc -l)
{
  printf '%s\\0%s' "$(basename "$0")" "$PWD"
  if (($#)); then printf '\\0%s' "$@"; fi
} > "$STANDIN_CALLS/$((n + 1))"
if [[ -n "\${STANDIN_STDOUT:-}" ]]; then printf '%s\\n' "$STANDIN_STDOUT"; fi
exit "\${STANDIN_EXIT:-0}"
`

export interface RecordedCall {
  /** `dagger` or `npx`. */
  program: string
  cwd: string
  argv: string[]
}

export interface WrapperRun {
  status: number | null
  stdout: string
  stderr: string
  calls: RecordedCall[]
}

export class StandIn {
  readonly dir: string
  readonly bin: string

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-stand-in-"))
    this.bin = path.join(this.dir, "bin")
    fs.mkdirSync(this.bin)
    for (const name of ["dagger", "npx"]) fs.writeFileSync(path.join(this.bin, name), STAND_IN, { mode: 0o755 })
  }

  /**
   * Runs `script` (relative to the repository root) from a scratch directory, with only `env`
   * plus PATH and HOME in its environment, so nothing from the test process leaks in.
   */
  run(script: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): WrapperRun {
    const calls = fs.mkdtempSync(path.join(this.dir, "calls-"))
    const cwd = fs.mkdtempSync(path.join(this.dir, "cwd-"))
    const result = spawnSync(path.join(ROOT, script), [...args], {
      cwd,
      encoding: "utf8",
      env: { PATH: `${this.bin}:/usr/bin:/bin`, HOME: this.dir, STANDIN_CALLS: calls, ...env },
      timeout: 30_000,
    })
    if (result.error) throw result.error
    const recorded = fs
      .readdirSync(calls)
      .sort((a, b) => Number(a) - Number(b))
      .map((file) => {
        const [program = "", recordedCwd = "", ...argv] = fs.readFileSync(path.join(calls, file), "utf8").split("\0")
        return { program, cwd: recordedCwd, argv }
      })
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: recorded }
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true })
  }
}
