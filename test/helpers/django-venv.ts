/**
 * The reference app's virtualenv, made by ci/setup/python.sh: the app's pinned requirements plus
 * ruff and hadolint. Specs that run the app's own tools need it, and fail (never skip) without it,
 * saying how to make it.
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { ROOT } from "./paths.js"

export const DJANGO_VENV = process.env.DJANGO_VENV ?? join(ROOT, ".venv-django")
export const venvBin = (tool: string): string => join(DJANGO_VENV, "bin", tool)

const TOOLS = ["python", "coverage", "ruff", "hadolint"]

/** Throws, naming the setup script, when the venv or one of its tools is missing. */
export function requireDjangoVenv(): void {
  const missing = TOOLS.filter((tool) => !existsSync(venvBin(tool)))
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(", ")} not found in ${DJANGO_VENV}: run \`bash ci/setup/python.sh\` to make the reference app's virtualenv (set DJANGO_VENV to use another)`,
    )
  }
}

/** What a venv tool says of its own version (first line), e.g. "ruff 0.8.4". */
export function toolVersion(tool: string, args = ["--version"]): string {
  const result = spawnSync(venvBin(tool), args, { encoding: "utf8", timeout: 30_000 })
  if (result.status !== 0)
    throw new Error(`${tool} ${args.join(" ")} exited ${String(result.status)}: ${result.stderr}`)
  return result.stdout.trim().split("\n")[0]!
}
