/** The commands that read the environments folder and touch nothing: config check, plan, alerts (yaml and zod load here). */
import { alertsCommand } from "../../commands/alerts.js"
import { configCheck as checkConfig } from "../../commands/config-check.js"
import { planCommand } from "../../commands/plan.js"
import { type Command, UsageError } from "../command.js"
import { readEnvironments } from "../read-environments.js"

export const configCheck: Command = async ({ dir, values, json }) =>
  checkConfig(await readEnvironments(dir), dir, values.env, { json })

export const plan: Command = async ({ dir, values, json }) => {
  if (!values.env) throw new UsageError("plan needs --env NAME")
  return planCommand(await readEnvironments(dir), dir, { env: values.env, image: values.image, json })
}

export const alerts: Command = async ({ dir, values, json }) => {
  if (!values.env) throw new UsageError("alerts needs --env NAME")
  if (json) throw new UsageError("alerts prints Prometheus rules as YAML, with no JSON form; drop --json")
  return alertsCommand(await readEnvironments(dir), dir, values.env)
}
