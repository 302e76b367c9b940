/**
 * Runs the real promtool (Debian's `prometheus` package) for the alert specs. A missing promtool
 * is a failure that names the package and the setup script, never a skip: the proof that the
 * generated rules load and fire is the point of those specs.
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { delimiter, join } from "node:path"

export interface PromtoolResult {
  status: number | null
  stdout: string
  stderr: string
}

/** PROMTOOL when set, else promtool on PATH. */
export function findPromtool(): string {
  const explicit = process.env.PROMTOOL
  if (explicit) {
    if (existsSync(explicit)) return explicit
    throw new Error(
      `PROMTOOL=${explicit} does not exist; unset it, or install Debian's prometheus package (apt-get install prometheus, or run ci/setup/prometheus.sh)`,
    )
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "promtool"))) return join(dir, "promtool")
  }
  throw new Error(
    "promtool is not installed; it comes with Debian's prometheus package: run ci/setup/prometheus.sh (or apt-get install prometheus)",
  )
}

export function promtool(args: readonly string[], cwd: string): PromtoolResult {
  const result = spawnSync(findPromtool(), args, { cwd, encoding: "utf8", timeout: 60_000 })
  if (result.error)
    throw new Error(`promtool ${args.join(" ")} did not run: ${result.error.message}`, { cause: result.error })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
