/** The shipped environments load, overlays merge onto the base, and problem lists are tidy. */
import { expect } from "chai"
import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { type EnvironmentFile, loadEnvironments } from "../../core/config/load.js"
import { formatProblem } from "../../core/config/problem.js"
import { ENVIRONMENTS } from "../helpers/paths.js"

const shipped = (): EnvironmentFile[] =>
  readdirSync(ENVIRONMENTS)
    .sort()
    .map((name) => ({ path: `environments/${name}`, content: readFileSync(join(ENVIRONMENTS, name), "utf8") }))

const replace = (files: EnvironmentFile[], name: string, from: string, to: string): EnvironmentFile[] =>
  files.map((f) => (f.path.endsWith(`/${name}`) ? { ...f, content: String(f.content).replace(from, to) } : f))

describe("config/load", () => {
  it("loads the four shipped environments with no problems", () => {
    const result = loadEnvironments(shipped())
    expect(result.problems.map(formatProblem)).to.deep.equal([])
    expect(result.environments.map((e) => [e.name, e.config.tier, e.file])).to.deep.equal([
      ["development", "development", "environments/development.yaml"],
      ["production", "production", "environments/production.yaml"],
      ["staging", "staging", "environments/staging.yaml"],
      ["testing", "testing", "environments/testing.yaml"],
    ])
  })

  it("encodes the environment strategy: modes, approval, replicas, backup, tools", () => {
    const byName = Object.fromEntries(loadEnvironments(shipped()).environments.map((e) => [e.name, e.config]))
    const row = (name: string) => {
      const c = byName[name]!
      return [
        c.deploy.mode,
        c.deploy.approval,
        c.runtime.replicas,
        c.runtime.debug,
        c.runtime.log_level,
        c.deploy.backup.enabled,
        c.tools.adminer && c.tools.mailhog,
        c.tests.tmpfs_database,
      ]
    }
    expect(row("development")).to.deep.equal(["automatic", "none", 1, true, "DEBUG", false, true, false])
    expect(row("testing")).to.deep.equal(["automatic", "none", 1, false, "INFO", false, false, true])
    expect(row("staging")).to.deep.equal(["manual", "required", 2, false, "INFO", false, false, false])
    expect(row("production")).to.deep.equal(["manual", "required", 3, false, "WARNING", true, false, false])
  })

  it("deep-merges an overlay onto the base: mappings merge, values replace, durations become ms", () => {
    const production = loadEnvironments(shipped()).environments.find((e) => e.name === "production")!.config
    expect(production.runtime.resources).to.deep.equal({
      limits: { cpus: 2, memory: "1G" },
      reservations: { cpus: 0.5, memory: "512M" },
    })
    expect(production.runtime.restart_policy).to.deep.equal({
      condition: "on-failure",
      delay: 10_000,
      max_attempts: 5,
      window: 300_000,
    })
    expect(production.runtime.update_config).to.deep.equal({
      parallelism: 1,
      delay: 10_000,
      order: "start-first",
      failure_action: "rollback",
      monitor: 30_000,
    })
    expect(production.app.port).to.equal(8000)
    expect(production.health.watch).to.equal(300_000)
    expect(production.security.scan).to.deep.equal({ severity: ["CRITICAL", "HIGH", "MEDIUM"], ignore_unfixed: false })
  })

  it("names the required secrets of each tier as references, never values", () => {
    const secrets = Object.fromEntries(
      loadEnvironments(shipped()).environments.map((e) => [e.name, Object.keys(e.config.secrets).sort()]),
    )
    expect(secrets).to.deep.equal({
      // Development runs its own services: the deploy fills in their credentials itself.
      development: ["POSTGRES_PASSWORD", "RABBITMQ_URL", "SECRET_KEY"],
      production: ["ALLOWED_HOSTS", "POSTGRES_PASSWORD", "SECRET_KEY", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"],
      staging: ["ALLOWED_HOSTS", "POSTGRES_PASSWORD", "SECRET_KEY"],
      testing: ["POSTGRES_PASSWORD", "SECRET_KEY"],
    })
  })

  it("hashes the resolved config: stable across key order, changed by any value", () => {
    const hashes = () => loadEnvironments(shipped()).environments.map((e) => e.hash)
    const first = hashes()
    expect(first).to.deep.equal(hashes())
    expect(new Set(first).size).to.equal(4)
    const reordered = loadEnvironments(
      replace(shipped(), "staging.yaml", "description: Pre-production mirror for UAT, promoted from testing\n", ""),
    ).environments
    expect(reordered.find((e) => e.name === "staging")!.hash).to.not.equal(first[2])
    const flowToBlock = replace(
      shipped(),
      "base.yaml",
      "limits: { cpus: 1.0, memory: 512M }",
      "limits:\n      memory: 512M\n      cpus: 1.0",
    )
    expect(loadEnvironments(flowToBlock).environments.map((e) => e.hash)).to.deep.equal(first)
  })

  it("reports a problem in the base once, not once per environment", () => {
    const result = loadEnvironments(replace(shipped(), "base.yaml", "    monitor: 30s\n", ""))
    expect(result.problems.map(formatProblem)).to.deep.equal([
      'environments/base.yaml:48:3 runtime.update_config.monitor: required key is missing; add it (a duration such as "30s")',
    ])
  })

  it("still reports the environments' own YAML problems when the base is broken", () => {
    const files = replace(
      replace(shipped(), "base.yaml", "  port: 8000\n", "  port: 8000: 1\n"),
      "staging.yaml",
      "  replicas: 2\n",
      "  replicas: 2\n  replicas: 3\n",
    )
    expect(loadEnvironments(files).problems.map(formatProblem)).to.deep.equal([
      "environments/base.yaml:9:9 (file): YAML syntax error: Nested mappings are not allowed in compact mappings",
      'environments/staging.yaml:18:3 runtime.replicas: duplicate key "replicas" (first set at line 17); keep one of them',
    ])
  })

  it("refuses an environment file whose name is not a valid environment name", () => {
    const result = loadEnvironments([
      ...shipped(),
      { path: "environments/Prod EU.yaml", content: "tier: production\n" },
    ])
    expect(result.problems.map(formatProblem)).to.deep.equal([
      'environments/Prod EU.yaml:1:1 (file): "Prod EU" is not a valid environment name; rename the file to lowercase letters, digits and "-", such as staging.yaml',
    ])
  })

  it("caps the problems printed per file and counts the rest", () => {
    const keys = Array.from({ length: 60 }, (_, i) => `extra_${i}: 1`).join("\n")
    const result = loadEnvironments([
      { path: "environments/base.yaml", content: String(shipped()[0]!.content) },
      { path: "environments/testing.yaml", content: `${keys}\n` },
    ])
    const lines = result.problems.map(formatProblem)
    expect(lines).to.have.length(51)
    expect(lines[0]).to.equal(
      'environments/testing.yaml:1:1 extra_0: unknown key "extra_0"; remove it, or use one of tier, description, app, deploy, runtime, health, services, ledger, notify, security, tools, tests, secrets, alerts',
    )
    expect(lines[50]).to.equal("environments/testing.yaml:1:1 (file): …and 10 more problems in this file")
  })
})
