/**
 * The generated rules against the real promtool, for every shipped environment and for an
 * override: `promtool check rules` accepts them, and `promtool test rules` shows each alert
 * silent below its threshold, pending at `for`, then firing with exact labels and annotations.
 */
import { expect } from "chai"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parse } from "yaml"
import { type RuleGroup, alertRules } from "../../core/alerts/rules.js"
import { AlertsSchema, type AlertThresholds, resolveAlertThresholds } from "../../core/config/alert-thresholds.js"
import type { EnvironmentConfig } from "../../core/config/schema.js"
import { shippedEnvironment } from "../helpers/environments.js"
import { findPromtool, promtool } from "./promtool.js"
import { promtoolUnitTests } from "./unit-tests.js"

const SEVERITY = { development: "info", testing: "warning", staging: "warning", production: "critical" } as const

describe("alerts/promtool", function () {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "alerts-"))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it("finds promtool (Debian's prometheus package)", () => {
    expect(findPromtool()).to.match(/\/promtool$/)
  })

  /** Writes rules + unit tests under a fresh name, runs both promtool checks, asserts their exact output. */
  function proveRules(label: string, envName: string, config: EnvironmentConfig, thresholds: AlertThresholds): void {
    const rulesFile = `${label}.rules.yml`
    const testsFile = `${label}.test.yml`
    const text = alertRules(envName, config, thresholds)
    writeFileSync(join(dir, rulesFile), text)
    const group = (parse(text) as { groups: RuleGroup[] }).groups[0]!
    writeFileSync(
      join(dir, testsFile),
      promtoolUnitTests({
        rulesFile,
        job: config.app.name,
        env: envName,
        thresholds,
        rules: group.rules,
        labels: { env: envName, severity: SEVERITY[config.tier] },
      }),
    )

    const check = promtool(["check", "rules", rulesFile], dir)
    expect({ status: check.status, stdout: check.stdout, stderr: check.stderr }).to.deep.equal({
      status: 0,
      stdout: `Checking ${rulesFile}\n  SUCCESS: 3 rules found\n\n`,
      stderr: "",
    })
    const test = promtool(["test", "rules", testsFile], dir)
    expect({ status: test.status, stdout: test.stdout, stderr: test.stderr }).to.deep.equal({
      status: 0,
      stdout: `Unit Testing:  ${testsFile}\n  SUCCESS\n\n`,
      stderr: "",
    })
  }

  for (const envName of ["development", "testing", "staging", "production"]) {
    it(`${envName}: the rules load, and each alert fires above its threshold and stays silent below it`, () => {
      const { config } = shippedEnvironment(envName)
      proveRules(envName, envName, config, resolveAlertThresholds(config))
    })
  }

  it("staging with overrides from alerts: (250ms, any 5xx, 3 failures a minute, odd durations)", () => {
    const { config } = shippedEnvironment("staging")
    const alerts = AlertsSchema.parse({
      response_time: { p95_ms: 250, for: "90s" },
      error_rate: { ratio: 0 },
      db_connection: { failures_per_minute: 3, for: "1.5m" },
    })
    const thresholds = resolveAlertThresholds({ tier: config.tier, alerts })
    expect(thresholds).to.deep.equal({
      response_time: { p95_ms: 250, for: 90_000 },
      error_rate: { ratio: 0, for: 300_000 },
      db_connection: { failures_per_minute: 3, for: 90_000 },
    })
    proveRules("staging-overrides", "staging", config, thresholds)
  })

  it("fails when an expectation is wrong, so the passing runs above mean something", () => {
    const { config } = shippedEnvironment("production")
    const thresholds = resolveAlertThresholds(config)
    const text = alertRules("production", config, thresholds)
    writeFileSync(join(dir, "wrong.rules.yml"), text)
    const group = (parse(text) as { groups: RuleGroup[] }).groups[0]!
    // Expect severity "warning" where production's rules say "critical".
    const tests = promtoolUnitTests({
      rulesFile: "wrong.rules.yml",
      job: "webapp",
      env: "production",
      thresholds,
      rules: group.rules,
      labels: { env: "production", severity: "warning" },
    })
    writeFileSync(join(dir, "wrong.test.yml"), tests)
    const run = promtool(["test", "rules", "wrong.test.yml"], dir)
    expect(run.status).to.equal(1)
    const failed = (run.stdout + run.stderr).match(/alertname: (\w+), time: /g)
    expect(failed).to.deep.equal([
      "alertname: HighResponseTime, time: ",
      "alertname: HighErrorRate, time: ",
      "alertname: DatabaseConnectionFailure, time: ",
    ])
  })
})
