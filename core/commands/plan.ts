/** `plan`: the resolved configuration and the steps a deploy would take, touching nothing. */
import type { EnvironmentFile } from "../config/load.js"
import { buildPlan } from "../plan/plan.js"
import { renderPlanJson, renderPlanText } from "../plan/render.js"
import { selectEnvironments } from "./environments.js"
import { type Outcome, jsonDocument, success } from "./outcome.js"

export interface PlanOptions {
  env: string
  image?: string
  json?: boolean
}

export function planCommand(files: readonly EnvironmentFile[], dirLabel: string, options: PlanOptions): Outcome {
  const selected = selectEnvironments(files, dirLabel, options.env)
  if (!selected.ok) return selected.outcome
  const environment = selected.environments[0]!
  const plan = buildPlan(environment, options.image)
  return options.json ? jsonDocument(true, renderPlanJson(plan, environment)) : success(renderPlanText(plan))
}
