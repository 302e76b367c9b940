/** `config check`: validate every environment (or one), all problems at once. */
import type { EnvironmentFile } from "../config/load.js"
import { summarizeEnvironment } from "../config/summary.js"
import { selectEnvironments } from "./environments.js"
import { type Outcome, success } from "./outcome.js"

export function configCheck(files: readonly EnvironmentFile[], dirLabel: string, env?: string): Outcome {
  const selected = selectEnvironments(files, dirLabel, env)
  if (!selected.ok) return selected.outcome
  return success(selected.environments.map(summarizeEnvironment).join("\n"))
}
