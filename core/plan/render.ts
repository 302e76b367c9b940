/** Renders a deploy plan for people (text) and machines (JSON, with the resolved config). */
import type { Environment } from "../config/load.js"
import type { DeployPlan } from "./plan.js"
import { describeServiceViews } from "./services.js"

export function renderPlanText(plan: DeployPlan): string {
  const width = Math.max(...plan.steps.map((s) => s.id.length))
  const lines = [
    `Plan: deploy to ${plan.environment} (tier ${plan.tier}, ${plan.file}, config ${plan.configHash.slice(0, 12)})`,
    `  target  ${plan.target.driver} on ${plan.target.dockerHost}`,
    `  image   ${plan.image.ref ?? "(none)"}${plan.image.problem ? ` — ${plan.image.problem}` : ""}`,
    "Services (who reaches each, where):",
    ...describeServiceViews(plan.services).map((line) => `  ${line}`),
    `Steps (nothing has been changed):`,
    ...plan.steps.map((step, i) => `  ${String(i + 1).padStart(2)}. ${step.id.padEnd(width)}  ${step.detail}`),
  ]
  return lines.join("\n")
}

export function renderPlanJson(plan: DeployPlan, environment: Environment): string {
  return JSON.stringify({ ...plan, config: environment.config }, null, 2)
}
