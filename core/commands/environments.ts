/** Loads the environments and picks the requested one, with the messages both surfaces share. */
import {
  BASE_NAMES,
  type Environment,
  type EnvironmentFile,
  baseName,
  isEnvironmentFile,
  loadEnvironments,
} from "../config/load.js"
import { distance } from "../config/messages.js"
import { formatProblem } from "../config/problem.js"
import { type Outcome, failure } from "./outcome.js"

export type Selected = { ok: true; environments: Environment[] } | { ok: false; outcome: Outcome }

const nameOf = (path: string) => baseName(path).replace(/\.ya?ml$/, "")

export function selectEnvironments(files: readonly EnvironmentFile[], dirLabel: string, env?: string): Selected {
  const envFiles = files.filter((f) => isEnvironmentFile(f.path) && !BASE_NAMES.includes(baseName(f.path)))
  if (envFiles.length === 0) {
    return {
      ok: false,
      outcome: failure(
        "no-environments",
        `no environment files in ${dirLabel}; add one such as ${dirLabel}/development.yaml (see docs/environments.md)`,
      ),
    }
  }
  const names = envFiles.map((f) => nameOf(f.path)).sort()
  const own = env === undefined ? undefined : envFiles.find((f) => nameOf(f.path) === env)
  if (env !== undefined && !own) {
    const close = names.find((n) => distance(env, n) <= 2 || n.startsWith(env))
    return {
      ok: false,
      outcome: failure(
        "unknown-environment",
        `unknown environment "${env}"${close ? ` (did you mean "${close}"?)` : ""}; environments in ${dirLabel}: ${names.join(", ")}`,
      ),
    }
  }
  const { environments, problems } = loadEnvironments(
    own ? files.filter((f) => f === own || !envFiles.includes(f)) : files,
  )
  if (problems.length > 0) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`
    return {
      ok: false,
      outcome: failure(
        "config-invalid",
        `${problems.map(formatProblem).join("\n")}\n${count} in ${dirLabel}; nothing was changed`,
        { problems },
      ),
    }
  }
  return { ok: true, environments }
}
