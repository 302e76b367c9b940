/**
 * The wrappers in ci/ and ci/scripts/, run for real with a stand-in `dagger`/`npx` on PATH: the
 * exact argv each passes, usage errors (exit 2, usage on stderr, nothing called), the exit code
 * of `dagger` passed through, secrets passed only as env:/file: references, and every recorded
 * call checked against the module's registered functions.
 */
import { expect } from "chai"

import { introspectModule, type ModuleDescription } from "../harness/introspect.js"
import { readModuleName } from "../harness/module-files.js"
import { ROOT } from "../helpers/paths.js"
import { type CoreApi, readCoreApi } from "./support/core-api.js"
import { argvWords, checkCall } from "./support/dagger-calls.js"
import { LIBRARY, shellScripts } from "./support/repo-files.js"
import { StandIn, type WrapperRun } from "./support/stand-in.js"

const DIGEST = `sha256:0123456789ab${"c".repeat(52)}`
const IMAGE = `registry.example.com/acme/webapp@${DIGEST}`
const REGISTRY_PASSWORD = "registry-pass-Zq81"
const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nkey-body-Xv27\n-----END OPENSSH PRIVATE KEY-----"
const SECRET_VALUES = [REGISTRY_PASSWORD, "key-body-Xv27"]

const USAGE = {
  ci: "usage: ci/ci.sh [ENV]    run lint, test, scan and build (dagger call ci --env ENV)\n",
  lint: "usage: ci/lint.sh    lint the app (dagger call lint)\n",
  test: "usage: ci/test.sh [ENV]    run the tests, reports to ./reports (dagger call test --env ENV export --path reports)\n",
  build:
    "usage: ci/build.sh [PLATFORMS]    build the image, e.g. ci/build.sh linux/amd64,linux/arm64 (dagger call build-multi-arch)\n",
  publish:
    "usage: REGISTRY_USERNAME=… REGISTRY_PASSWORD=… ci/publish.sh ADDRESS\n" +
    "  push the image to ADDRESS (e.g. registry.example.com/acme/webapp:1.4.2) and print repo@sha256:…\n" +
    "  optional labels from VERSION, REVISION, SOURCE_URL, CREATED\n",
  deploy:
    "usage: [APPROVE=ENV@DIGEST12] ci/deploy.sh ENV [IMAGE]\n" +
    "  deploy IMAGE (or $IMAGE), pinned as repo@sha256:…, to ENV\n" +
    "  staging and production need APPROVE, set by the vendor's approval step\n" +
    "  optional: DEPLOY_SSH_KEY or DEPLOY_SSH_KEY_FILE, REQUESTED_BY\n",
  rollback:
    "usage: ci/rollback.sh ENV [REF]\n" +
    "  roll ENV back to the previous stable release, or to REF (sha256:… from dagger call history --env ENV)\n" +
    "  optional: DEPLOY_SSH_KEY or DEPLOY_SSH_KEY_FILE, REQUESTED_BY\n",
  approvalToken: "usage: ci/scripts/approval-token.sh ENV IMAGE    print ENV@<first 12 hex of IMAGE's sha256 digest>\n",
  checkMigrations:
    "usage: ci/scripts/check-migrations.sh ENV    check ENV's pending migrations (dagger call check-migrations --env ENV)\n",
  validateDeployment:
    "usage: ci/scripts/validate-deployment.sh ENV    show what is live (dagger call status --env ENV)\n  optional: DEPLOY_SSH_KEY or DEPLOY_SSH_KEY_FILE\n",
  backupProduction:
    "usage: ci/scripts/backup-production.sh    show the production plan and its backup step (npx deploy-pipeline plan --env production)\n",
}

interface CallCase {
  name: string
  script: string
  args: string[]
  env?: Record<string, string>
  /** The one recorded call: program and argv. */
  call: [program: "dagger" | "npx", ...argv: string[]]
  stdout?: string
}

const CALLS: CallCase[] = [
  {
    name: "ci with the default environment",
    script: "ci/ci.sh",
    args: [],
    call: ["dagger", "call", "ci", "--env", "testing"],
  },
  {
    name: "ci for staging's settings",
    script: "ci/ci.sh",
    args: ["staging"],
    call: ["dagger", "call", "ci", "--env", "staging"],
  },
  { name: "lint", script: "ci/lint.sh", args: [], call: ["dagger", "call", "lint"] },
  {
    name: "test, exporting the reports",
    script: "ci/test.sh",
    args: [],
    call: ["dagger", "call", "test", "--env", "testing", "export", "--path", "reports"],
  },
  {
    name: "test for production's settings",
    script: "ci/test.sh",
    args: ["production"],
    call: ["dagger", "call", "test", "--env", "production", "export", "--path", "reports"],
  },
  {
    name: "build for the default platforms",
    script: "ci/build.sh",
    args: [],
    call: ["dagger", "call", "build-multi-arch"],
  },
  {
    name: "build for given platforms",
    script: "ci/build.sh",
    args: ["linux/amd64,linux/arm64/v8"],
    call: ["dagger", "call", "build-multi-arch", "--platforms", "linux/amd64,linux/arm64/v8"],
  },
  {
    name: "publish, printing only the pinned reference",
    script: "ci/publish.sh",
    args: ["registry.example.com/acme/webapp:1.4.2"],
    env: { REGISTRY_USERNAME: "ci", REGISTRY_PASSWORD, STANDIN_STDOUT: `pushed 2 platforms\n${IMAGE}` },
    call: [
      "dagger",
      "call",
      "publish",
      "--address",
      "registry.example.com/acme/webapp:1.4.2",
      "--username",
      "ci",
      "--password",
      "env:REGISTRY_PASSWORD",
    ],
    stdout: `${IMAGE}\n`,
  },
  {
    name: "publish with OCI labels",
    script: "ci/publish.sh",
    args: ["registry.example.com/acme/webapp:main"],
    env: {
      REGISTRY_USERNAME: "ci",
      REGISTRY_PASSWORD,
      VERSION: "1.4.2",
      REVISION: "4588a89",
      SOURCE_URL: "https://git.example.com/acme/webapp",
      CREATED: "2025-11-29T02:14:00Z",
      STANDIN_STDOUT: IMAGE,
    },
    call: [
      "dagger",
      "call",
      "publish",
      "--address",
      "registry.example.com/acme/webapp:main",
      "--username",
      "ci",
      "--password",
      "env:REGISTRY_PASSWORD",
      "--version",
      "1.4.2",
      "--revision",
      "4588a89",
      "--source-url",
      "https://git.example.com/acme/webapp",
      "--created",
      "2025-11-29T02:14:00Z",
    ],
    stdout: `${IMAGE}\n`,
  },
  {
    name: "deploy development, image as an argument",
    script: "ci/deploy.sh",
    args: ["development", IMAGE],
    call: ["dagger", "call", "deploy", "--env", "development", "--image", IMAGE],
  },
  {
    name: "deploy testing, image from $IMAGE, SSH key and requester",
    script: "ci/deploy.sh",
    args: ["testing"],
    env: { IMAGE, DEPLOY_SSH_KEY: SSH_KEY, REQUESTED_BY: "alice" },
    call: [
      "dagger",
      "call",
      "deploy",
      "--env",
      "testing",
      "--image",
      IMAGE,
      "--ssh-key",
      "env:DEPLOY_SSH_KEY",
      "--requested-by",
      "alice",
    ],
  },
  {
    name: "deploy staging with the approval token",
    script: "ci/deploy.sh",
    args: ["staging", IMAGE],
    env: { APPROVE: "staging@0123456789ab", DEPLOY_SSH_KEY: SSH_KEY },
    call: [
      "dagger",
      "call",
      "deploy",
      "--env",
      "staging",
      "--image",
      IMAGE,
      "--approve",
      "staging@0123456789ab",
      "--ssh-key",
      "env:DEPLOY_SSH_KEY",
    ],
  },
  {
    name: "deploy production with an SSH key file",
    script: "ci/deploy.sh",
    args: ["production", IMAGE],
    env: { APPROVE: "production@0123456789ab", DEPLOY_SSH_KEY_FILE: "/run/keys/deploy key" },
    call: [
      "dagger",
      "call",
      "deploy",
      "--env",
      "production",
      "--image",
      IMAGE,
      "--approve",
      "production@0123456789ab",
      "--ssh-key",
      "file:/run/keys/deploy key",
    ],
  },
  {
    name: "rollback to the previous stable release",
    script: "ci/rollback.sh",
    args: ["production"],
    call: ["dagger", "call", "rollback", "--env", "production"],
  },
  {
    name: "rollback to a digest",
    script: "ci/rollback.sh",
    args: ["staging", DIGEST],
    env: { DEPLOY_SSH_KEY: SSH_KEY, REQUESTED_BY: "bob" },
    call: [
      "dagger",
      "call",
      "rollback",
      "--env",
      "staging",
      "--to",
      DIGEST,
      "--ssh-key",
      "env:DEPLOY_SSH_KEY",
      "--requested-by",
      "bob",
    ],
  },
  {
    name: "check-migrations",
    script: "ci/scripts/check-migrations.sh",
    args: ["staging"],
    call: ["dagger", "call", "check-migrations", "--env", "staging"],
  },
  {
    name: "validate-deployment",
    script: "ci/scripts/validate-deployment.sh",
    args: ["production"],
    env: { DEPLOY_SSH_KEY: SSH_KEY },
    call: ["dagger", "call", "status", "--env", "production", "--ssh-key", "env:DEPLOY_SSH_KEY"],
  },
  {
    name: "backup-production shows the plan through the CLI",
    script: "ci/scripts/backup-production.sh",
    args: [],
    call: ["npx", "--no", "deploy-pipeline", "plan", "--env", "production"],
  },
]

interface UsageCase {
  script: string
  args: string[]
  env?: Record<string, string>
  stderr: string
}

const USAGE_ERRORS: UsageCase[] = [
  { script: "ci/ci.sh", args: ["testing", "extra"], stderr: `ci/ci.sh takes at most one argument\n${USAGE.ci}` },
  { script: "ci/ci.sh", args: ["Staging!"], stderr: `not an environment name: 'Staging!'\n${USAGE.ci}` },
  { script: "ci/lint.sh", args: ["--fix"], stderr: `ci/lint.sh takes no arguments\n${USAGE.lint}` },
  { script: "ci/test.sh", args: ["testing", "extra"], stderr: `ci/test.sh takes at most one argument\n${USAGE.test}` },
  {
    script: "ci/build.sh",
    args: ["amd64"],
    stderr: `not a comma-separated list of platforms: 'amd64'\n${USAGE.build}`,
  },
  {
    script: "ci/publish.sh",
    args: [],
    env: { REGISTRY_USERNAME: "ci", REGISTRY_PASSWORD },
    stderr: `ci/publish.sh takes exactly one argument, the address\n${USAGE.publish}`,
  },
  {
    script: "ci/publish.sh",
    args: ["registry.example.com/acme/webapp:1"],
    env: { REGISTRY_PASSWORD },
    stderr: `REGISTRY_USERNAME is not set\n${USAGE.publish}`,
  },
  {
    script: "ci/publish.sh",
    args: ["registry.example.com/acme/webapp:1"],
    env: { REGISTRY_USERNAME: "ci" },
    stderr: `REGISTRY_PASSWORD is not set\n${USAGE.publish}`,
  },
  { script: "ci/deploy.sh", args: [], stderr: `ci/deploy.sh takes ENV and an optional IMAGE\n${USAGE.deploy}` },
  {
    script: "ci/deploy.sh",
    args: ["development"],
    stderr: `no image: pass it as the second argument or set IMAGE\n${USAGE.deploy}`,
  },
  {
    script: "ci/deploy.sh",
    args: ["staging", IMAGE, "extra"],
    stderr: `ci/deploy.sh takes ENV and an optional IMAGE\n${USAGE.deploy}`,
  },
  {
    script: "ci/deploy.sh",
    args: ["staging", IMAGE],
    env: { DEPLOY_SSH_KEY: SSH_KEY },
    stderr: `staging deploys need APPROVE=staging@<first 12 hex of the digest>, set only after the vendor's approval\n${USAGE.deploy}`,
  },
  {
    script: "ci/deploy.sh",
    args: ["production"],
    env: { IMAGE, APPROVE: "" },
    stderr: `production deploys need APPROVE=production@<first 12 hex of the digest>, set only after the vendor's approval\n${USAGE.deploy}`,
  },
  { script: "ci/rollback.sh", args: [], stderr: `ci/rollback.sh takes ENV and an optional REF\n${USAGE.rollback}` },
  { script: "ci/rollback.sh", args: ["staging", ""], stderr: `REF is empty\n${USAGE.rollback}` },
  {
    script: "ci/scripts/approval-token.sh",
    args: ["staging"],
    stderr: `ci/scripts/approval-token.sh takes ENV and IMAGE\n${USAGE.approvalToken}`,
  },
  {
    script: "ci/scripts/approval-token.sh",
    args: ["staging", "registry.example.com/acme/webapp:latest"],
    stderr: `not pinned by digest (repo@sha256:<64 hex>): 'registry.example.com/acme/webapp:latest'\n${USAGE.approvalToken}`,
  },
  {
    script: "ci/scripts/check-migrations.sh",
    args: [],
    stderr: `ci/scripts/check-migrations.sh takes exactly one argument, ENV\n${USAGE.checkMigrations}`,
  },
  {
    script: "ci/scripts/validate-deployment.sh",
    args: ["staging", "production"],
    stderr: `ci/scripts/validate-deployment.sh takes exactly one argument, ENV\n${USAGE.validateDeployment}`,
  },
  {
    script: "ci/scripts/backup-production.sh",
    args: ["--now"],
    stderr: `ci/scripts/backup-production.sh takes no arguments\n${USAGE.backupProduction}`,
  },
]

describe("ci wrappers (with a stand-in dagger)", () => {
  let standIn: StandIn
  let mod: ModuleDescription
  let core: CoreApi
  const runs: WrapperRun[] = []
  const run = (script: string, args: readonly string[], env?: Record<string, string>): WrapperRun => {
    const result = standIn.run(script, args, env)
    runs.push(result)
    return result
  }

  before(async () => {
    standIn = new StandIn()
    mod = await introspectModule(ROOT, readModuleName(ROOT))
    core = readCoreApi()
  })
  after(() => standIn.cleanup())

  it("covers every wrapper", () => {
    const covered = new Set([
      ...CALLS.map((c) => c.script),
      ...USAGE_ERRORS.map((c) => c.script),
      "ci/scripts/approval-token.sh",
    ])
    expect(
      shellScripts()
        .filter((s) => s !== LIBRARY)
        .sort(),
    ).to.deep.equal([...covered].sort())
  })

  describe("exact argv, from the repository root", () => {
    for (const c of CALLS) {
      it(c.name, () => {
        const result = run(c.script, c.args, c.env)
        expect({ status: result.status, stderr: result.stderr }).to.deep.equal({ status: 0, stderr: "" })
        const [program, ...argv] = c.call
        expect(result.calls).to.deep.equal([{ program, cwd: ROOT, argv }])
        expect(result.stdout).to.equal(c.stdout ?? "")
      })
    }

    it("approval-token prints <env>@<first 12 hex> and calls nothing", () => {
      const result = run("ci/scripts/approval-token.sh", ["production", IMAGE])
      expect(result).to.deep.equal({ status: 0, stdout: "production@0123456789ab\n", stderr: "", calls: [] })
    })
  })

  describe("bad arguments: exit 2, the usage on stderr, nothing called", () => {
    for (const c of USAGE_ERRORS) {
      it(`${c.script} ${c.args.map((a) => JSON.stringify(a)).join(" ")}${c.env ? ` with ${Object.keys(c.env).join(", ")}` : ""}`, () => {
        expect(run(c.script, c.args, c.env)).to.deep.equal({ status: 2, stdout: "", stderr: c.stderr, calls: [] })
      })
    }
  })

  describe("the exit code of dagger is passed through", () => {
    for (const code of [1, 3, 125]) {
      for (const c of CALLS) {
        it(`${c.script} ${c.args.length ? c.args.join(" ").replace(IMAGE, "IMAGE").replace(DIGEST, "DIGEST") : "(no arguments)"} exits ${code}`, () => {
          const result = run(c.script, c.args, { ...c.env, STANDIN_EXIT: String(code) })
          expect(result.status).to.equal(code)
          expect(result.calls).to.have.length(1)
        })
      }
    }

    it("publish fails when dagger prints no pinned reference", () => {
      const result = run("ci/publish.sh", ["registry.example.com/acme/webapp:1"], {
        REGISTRY_USERNAME: "ci",
        REGISTRY_PASSWORD,
        STANDIN_STDOUT: "pushed registry.example.com/acme/webapp:1",
      })
      expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).to.deep.equal({
        status: 1,
        stdout: "",
        stderr:
          "ci/publish.sh: publish printed no repo@sha256:… reference; its output was:\npushed registry.example.com/acme/webapp:1\n",
      })
    })
  })

  describe("secrets", () => {
    it("never appear in argv, stdout or stderr: only env:/file: references do", () => {
      expect(runs.length).to.be.greaterThan(CALLS.length + USAGE_ERRORS.length)
      const leaks = runs
        .flatMap((r) => [...r.calls.flatMap((c) => c.argv), r.stdout, r.stderr])
        .filter((text) => SECRET_VALUES.some((s) => text.includes(s)))
      expect(leaks).to.deep.equal([])
      const secretFlags = runs.flatMap((r) =>
        r.calls.flatMap((c) =>
          c.argv.flatMap((a, i) => (a === "--password" || a === "--ssh-key" ? [c.argv[i + 1]] : [])),
        ),
      )
      expect([...new Set(secretFlags)].sort()).to.deep.equal([
        "env:DEPLOY_SSH_KEY",
        "env:REGISTRY_PASSWORD",
        "file:/run/keys/deploy key",
      ])
    })
  })

  describe("every recorded dagger call exists in the module", () => {
    it("has the functions, flags and chained calls the wrappers use", () => {
      const daggerCalls = runs.flatMap((r) => r.calls).filter((c) => c.program === "dagger")
      expect(daggerCalls.length).to.be.greaterThan(CALLS.length)
      const problems = daggerCalls.flatMap((c) => {
        expect(c.argv[0]).to.equal("call")
        return checkCall(argvWords(c.argv.slice(1)), mod, core).map((p) => `${c.argv.join(" ")}: ${p}`)
      })
      expect(problems).to.deep.equal([])
    })
  })
})
