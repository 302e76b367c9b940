/** `config check`: validate every environment (or one), all problems at once. */
import type { EnvironmentFile } from "../config/load.js"
import { summarizeEnvironment } from "../config/summary.js"
import { selectEnvironments } from "./environments.js"
import { type Outcome, jsonDocument, success } from "./outcome.js"

export interface ConfigCheckOptions {
  /** One JSON document: {"environments": [{name, file, tier, configHash}]}. */
  json?: boolean
}

export function configCheck(
  files: readonly EnvironmentFile[],
  dirLabel: string,
  env?: string,
  options: ConfigCheckOptions = {},
): Outcome {
  const selected = selectEnvironments(files, dirLabel, env)
  if (!selected.ok) return selected.outcome
  if (options.json) {
    const environments = selected.environments.map(({ name, file, config, hash }) => ({
      name,
      file,
      tier: config.tier,
      configHash: hash,
    }))
    return jsonDocument(true, JSON.stringify({ environments }, null, 2))
  }
  return success(selected.environments.map(summarizeEnvironment).join("\n"))
}
