/** `alertsCommand`: selectEnvironments then render, as the CLI and the Dagger function will call it. */
import { expect } from "chai"
import { alertRules } from "../../core/alerts/rules.js"
import { AlertsSchema, resolveAlertThresholds } from "../../core/config/alert-thresholds.js"
import { alertsCommand } from "../../core/commands/alerts.js"
import { shippedEnvironment, shippedFiles } from "../helpers/environments.js"

describe("alerts/command", () => {
  it("prints the environment's rules file, without the final newline (the printer adds it)", () => {
    const { config } = shippedEnvironment("staging")
    expect(alertsCommand(shippedFiles(), "environments", "staging")).to.deep.equal({
      ok: true,
      text: alertRules("staging", config, resolveAlertThresholds(config)).slice(0, -1),
    })
  })

  it("fails on an unknown environment with the shared message", () => {
    expect(alertsCommand(shippedFiles(), "environments", "prod")).to.deep.equal({
      ok: false,
      code: "unknown-environment",
      text: 'unknown environment "prod" (did you mean "production"?); environments in environments: development, production, staging, testing',
    })
  })

  it("reads thresholds from an alerts: block once the config carries one", () => {
    const { config } = shippedEnvironment("production")
    const alerts = AlertsSchema.parse({ error_rate: { ratio: 0.02, for: "10m" } })
    expect(resolveAlertThresholds({ ...config, alerts }).error_rate).to.deep.equal({ ratio: 0.02, for: 600_000 })
  })
})
