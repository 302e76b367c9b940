/** The CLI's commands, exit codes (0 ok, 1 failed, 2 usage) and output, run in-process. */
import { expect } from "chai"
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { cli } from "../helpers/cli.js"
import { IMAGE, shippedEnvironment } from "../helpers/environments.js"
import { ENVIRONMENTS, ROOT } from "../helpers/paths.js"

const dir = join(ROOT, "environments")
const hash = (name: string) => shippedEnvironment(name).hash.slice(0, 12)

function brokenCopy(file: string, from: string, to: string): string {
  const copy = mkdtempSync(join(tmpdir(), "dp-env-"))
  cpSync(ENVIRONMENTS, copy, { recursive: true })
  const path = join(copy, file)
  writeFileSync(path, readFileSync(path, "utf8").replace(from, to))
  return copy
}

describe("cli/main", () => {
  it("config check: exit 0 with one line per environment", async () => {
    const result = await cli("config", "check", "--dir", dir)
    expect(result.code).to.equal(0)
    expect(result.stderr).to.equal("")
    expect(result.stdout).to.equal(
      [
        `ok development: tier development, automatic, compose on unix:///var/run/docker.sock, 1 replica, health /health/ (gate 30s, watch 10s), config ${hash("development")}`,
        `ok production: tier production, manual with approval + backup, compose on ssh://deploy@prod-1.example.com, 3 replicas, health /health/ (gate 2m, watch 5m), config ${hash("production")}`,
        `ok staging: tier staging, manual with approval, compose on ssh://deploy@staging.example.com, 2 replicas, health /health/ (gate 1m, watch 1m), config ${hash("staging")}`,
        `ok testing: tier testing, automatic, compose on ssh://deploy@testing.internal.example.com, 1 replica, health /health/ (gate 1m, watch 30s), config ${hash("testing")}`,
        "",
      ].join("\n"),
    )
  })

  it("config check --env: checks one environment", async () => {
    const result = await cli("config", "check", "--dir", dir, "--env", "staging")
    expect(result.code).to.equal(0)
    expect(result.stdout.trim().split("\n")).to.have.length(1)
    expect(result.stdout).to.match(/^ok staging: /)
  })

  it("config check --env with an unknown name: exit 1 listing the names that exist", async () => {
    const result = await cli("config", "check", "--dir", dir, "--env", "prod")
    expect(result).to.include({ code: 1, stdout: "" })
    expect(result.stderr).to.equal(
      `unknown environment "prod" (did you mean "production"?); environments in ${dir}: development, production, staging, testing\n`,
    )
  })

  it("config check: exit 1 with every problem located, and a count", async () => {
    const copy = brokenCopy("staging.yaml", "  replicas: 2\n", "  replicass: 2\n  lock_wait: soon\n")
    const result = await cli("config", "check", "--dir", copy)
    expect(result.code).to.equal(1)
    expect(result.stderr).to.equal(
      [
        `${copy}/staging.yaml:17:3 runtime.replicass: unknown key "replicass"; did you mean "replicas"?`,
        `${copy}/staging.yaml:18:3 runtime.lock_wait: "lock_wait" does not belong here; move it under deploy`,
        `2 problems in ${copy}; nothing was changed`,
        "",
      ].join("\n"),
    )
  })

  it("config check --env ignores problems in other environments", async () => {
    const copy = brokenCopy("staging.yaml", "  replicas: 2\n", "  replicas: two\n")
    expect((await cli("config", "check", "--dir", copy, "--env", "production")).code).to.equal(0)
    expect((await cli("config", "check", "--dir", copy, "--env", "staging")).code).to.equal(1)
  })

  it("config check: a missing folder or an empty one says what to do", async () => {
    const missing = await cli("config", "check", "--dir", "/nonexistent/environments")
    expect(missing).to.deep.include({
      code: 1,
      stderr: "no folder /nonexistent/environments; run from the repository root or pass --dir DIR\n",
    })
    const empty = mkdtempSync(join(tmpdir(), "dp-empty-"))
    const none = await cli("config", "check", "--dir", empty)
    expect(none).to.deep.include({
      code: 1,
      stderr: `no environment files in ${empty}; add one such as ${empty}/development.yaml (see docs/environments.md)\n`,
    })
  })

  it("plan --env: the steps as text, touching nothing", async () => {
    const result = await cli("plan", "--dir", dir, "--env", "staging", "--image", IMAGE)
    expect(result.code).to.equal(0)
    const lines = result.stdout.trim().split("\n")
    expect(lines[0]).to.equal(`Plan: deploy to staging (tier staging, ${dir}/staging.yaml, config ${hash("staging")})`)
    expect(lines[3]).to.equal("Services (who reaches each, where):")
    expect(lines[8]).to.equal(
      "   1. approve        require --approve staging@0123456789ab, refused before anything changes",
    )
    expect(lines).to.have.length(21)
  })

  it("plan --json: one JSON document", async () => {
    const result = await cli("plan", "--dir", dir, "--env", "production", "--json")
    expect(result.code).to.equal(0)
    const plan = JSON.parse(result.stdout)
    expect(plan).to.include({
      environment: "production",
      tier: "production",
      configHash: shippedEnvironment("production").hash,
    })
    expect(plan.config.runtime.replicas).to.equal(3)
  })

  it("usage errors exit 2 and say how to get help", async () => {
    expect(await cli("plan", "--dir", dir)).to.deep.include({
      code: 2,
      stderr: 'deploy-pipeline: plan needs --env NAME\nRun "deploy-pipeline help" for usage.\n',
    })
    expect(await cli("deploy-everything")).to.deep.include({
      code: 2,
      stderr: 'deploy-pipeline: unknown command "deploy-everything"\nRun "deploy-pipeline help" for usage.\n',
    })
    expect(await cli("plan", "--env", "staging", "--format", "yaml")).to.deep.include({
      code: 2,
      stdout: "",
      stderr: 'deploy-pipeline: --format takes text or json; got "yaml"\nRun "deploy-pipeline help" for usage.\n',
    })
    const unknownFlag = await cli("config", "check", "--verbose")
    expect(unknownFlag.code).to.equal(2)
    expect(unknownFlag.stderr).to.match(/^deploy-pipeline: Unknown option '--verbose'/)
  })

  it("config check --json: one document naming each environment, its tier and config hash", async () => {
    const result = await cli("config", "check", "--dir", dir, "--env", "staging", "--json")
    expect(result).to.deep.include({ code: 0, stderr: "" })
    expect(JSON.parse(result.stdout)).to.deep.equal({
      environments: [
        {
          name: "staging",
          file: `${dir}/staging.yaml`,
          tier: "staging",
          configHash: shippedEnvironment("staging").hash,
        },
      ],
    })
  })

  it("config problems under --json: a config-invalid error on stdout with every problem located", async () => {
    const copy = brokenCopy("staging.yaml", "  replicas: 2\n", "  replicass: 2\n")
    const result = await cli("config", "check", "--dir", copy, "--json")
    expect(result).to.deep.include({ code: 1, stderr: "" })
    const message = `${copy}/staging.yaml:17:3 runtime.replicass: unknown key "replicass"; did you mean "replicas"?\n1 problem in ${copy}; nothing was changed`
    expect(JSON.parse(result.stdout)).to.deep.equal({
      error: {
        code: "config-invalid",
        message,
        problems: [
          {
            file: `${copy}/staging.yaml`,
            line: 17,
            col: 3,
            path: "runtime.replicass",
            message: 'unknown key "replicass"; did you mean "replicas"?',
          },
        ],
      },
    })
  })

  it("every failure under --json or --format json is a JSON error on stdout, with the exit code it has in text", async () => {
    const table: [string[], number, { code: string; message: string }][] = [
      [
        ["plan", "--dir", dir, "--env", "prod", "--json"],
        1,
        {
          code: "unknown-environment",
          message: `unknown environment "prod" (did you mean "production"?); environments in ${dir}: development, production, staging, testing`,
        },
      ],
      [
        ["plan", "--dir", "/nonexistent/environments", "--env", "staging", "--format", "json"],
        1,
        {
          code: "environments-dir",
          message: "no folder /nonexistent/environments; run from the repository root or pass --dir DIR",
        },
      ],
      [
        ["config", "check", "--verbose", "--json"],
        2,
        {
          code: "usage",
          message:
            "Unknown option '--verbose'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--verbose\"",
        },
      ],
      [
        ["alerts", "--dir", dir, "--env", "staging", "--json"],
        2,
        { code: "usage", message: "alerts prints Prometheus rules as YAML, with no JSON form; drop --json" },
      ],
      [
        ["migrations", "check", "--format", "json"],
        2,
        {
          code: "usage",
          message: "migrations check needs FILE|DIR arguments: the SQL that manage.py sqlmigrate prints",
        },
      ],
      [["migrations", "rehearse", "--json"], 2, { code: "usage", message: "migrations rehearse needs --env NAME" }],
      [
        ["migrations", "rehearse", "--dir", dir, "--env", "staging", "--json"],
        1,
        {
          code: "missing-option",
          message: "migrations rehearse needs --image REF (the release, repo@sha256:… as publish prints it)",
        },
      ],
      [["--json"], 2, { code: "usage", message: "no command given; deploy-pipeline help lists them" }],
    ]
    const results = await Promise.all(table.map(([argv]) => cli(...argv)))
    expect(results.map((r) => ({ code: r.code, stderr: r.stderr, error: JSON.parse(r.stdout).error }))).to.deep.equal(
      table.map(([, code, error]) => ({ code, stderr: "", error })),
    )
  })

  it("help prints usage and exits 0; no command prints usage and exits 2", async () => {
    const help = await cli("help")
    expect(help.code).to.equal(0)
    expect(help.stdout).to.match(/^deploy-pipeline: lint, test, build, scan, deploy and roll back/)
    expect((await cli()).code).to.equal(2)
  })
})
