/**
 * `alerts`: the Prometheus rules file for one environment, with that environment's thresholds.
 * The text has no final newline, like every Outcome (the CLI's printer adds one).
 */
import { resolveAlertThresholds } from "../config/alert-thresholds.js"
import { alertRules } from "../alerts/rules.js"
import type { EnvironmentFile } from "../config/load.js"
import { selectEnvironments } from "./environments.js"
import { type Outcome, success } from "./outcome.js"

export function alertsCommand(files: readonly EnvironmentFile[], dirLabel: string, env: string): Outcome {
  const selected = selectEnvironments(files, dirLabel, env)
  if (!selected.ok) return selected.outcome
  const { name, config } = selected.environments[0]!
  return success(alertRules(name, config, resolveAlertThresholds(config)).replace(/\n$/, ""))
}
