/**
 * deploy.migrations.rehearse required: the pure decision (the newest rehearsal of the digest must
 * have passed within max_age), and the deploy on the real engine refusing before anything changes,
 * then going ahead once a passing rehearsal is recorded. (test/migrations/rehearse.spec.ts records
 * real rehearsals and reads them back.)
 */
import { expect } from "chai"
import { execFileSync } from "node:child_process"
import { deploy } from "../../core/deploy/deploy.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { LABEL, projectNames } from "../../core/deploy/names.js"
import { RehearsalRequiredError, formatAge, rehearsalProblem } from "../../core/deploy/rehearsal-requirement.js"
import { releaseOf } from "../../core/deploy/release.js"
import { recordRehearsal } from "../../core/ledger/rehearsals.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"

const release = releaseOf(`registry.example.com/acme/webapp@sha256:${"0a".repeat(32)}`)
const HOUR = 3_600_000
const now = new Date("2026-12-06T12:00:00Z")
const required = `production requires a passing migrations rehearsal of sha256:${"0a".repeat(32)} within 24h (deploy.migrations.rehearse)`
const next = `next: run deploy-pipeline migrations rehearse --env production --image ${release.image} (or dagger call rehearse-migrations), then deploy again. Nothing was changed`

describe("deploy/rehearsal-requirement", () => {
  it("lets a deploy on when the newest rehearsal of the digest passed within max_age", () => {
    expect(
      rehearsalProblem(
        "production",
        release,
        24 * HOUR,
        { id: 7, result: "passed", finishedAt: new Date(now.getTime() - 23 * HOUR), error: null },
        now,
      ),
    ).to.equal(undefined)
  })

  it("refuses without a rehearsal, with the command that makes one", () => {
    const problem = rehearsalProblem("production", release, 24 * HOUR, null, now)!
    expect([problem.code, problem.problem, problem.message]).to.deep.equal([
      "refused",
      "rehearsal-missing",
      `${required}, and the ledger has none\n${next}`,
    ])
  })

  it("refuses when the newest failed, quoting the first line of its error", () => {
    const problem = rehearsalProblem(
      "production",
      release,
      24 * HOUR,
      { id: 9, result: "failed", finishedAt: now, error: "exited 1: check constraint violated\nTraceback" },
      now,
    )!
    expect([problem.problem, problem.message]).to.deep.equal([
      "rehearsal-failed",
      `${required}, and the latest, #9, failed: exited 1: check constraint violated\nnext: fix the migration, publish a new release and rehearse it. Nothing was changed`,
    ])
  })

  it("refuses a rehearsal older than max_age", () => {
    const problem = rehearsalProblem(
      "production",
      release,
      24 * HOUR,
      { id: 3, result: "passed", finishedAt: new Date(now.getTime() - 30 * HOUR), error: null },
      now,
    )!
    expect([problem.problem, problem.message]).to.deep.equal([
      "rehearsal-stale",
      `${required}, and the latest, #3, passed 30h ago\n${next}`,
    ])
  })

  it("says ages as people do", () => {
    expect([formatAge(42_000), formatAge(45 * 60_000), formatAge(24 * HOUR), formatAge(1.5 * HOUR)]).to.deep.equal([
      "42s",
      "45m",
      "24h",
      "1.5h",
    ])
  })
})

describe("deploy/rehearsal-requirement on the real Docker engine", function () {
  this.timeout(180_000)
  let f: DeployFixture
  before(async () => {
    f = await deployFixture("rehearsalreq", {
      name: "rehearsed",
      tier: "testing",
      overrides: {
        deploy: { migrations: { rehearse: { mode: "required", max_age: "1h" } } },
        secrets: { POSTGRES_PASSWORD: "env:DP_TEST_POSTGRES_PASSWORD" },
      },
    })
  })
  after(() => f?.cleanup())

  it("refuses a digest with no rehearsal: no ledger row, no container; deploys it once a passing rehearsal is recorded", async () => {
    const digest = f.images.app.v1!
    const error = await deploy(
      { env: f.env, image: digest, version: "v1", requestedBy: "spec" },
      await f.engine(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(RehearsalRequiredError)
    expect([(error as RehearsalRequiredError).code, (error as RehearsalRequiredError).problem]).to.deep.equal([
      "refused",
      "rehearsal-missing",
    ])
    expect((error as Error).message.split("\n")[1]).to.equal(
      `next: run deploy-pipeline migrations rehearse --env rehearsed --image ${digest} (or dagger call rehearse-migrations), then deploy again. Nothing was changed`,
    )
    expect(await readHistory(f.env, await f.engine(), 5)).to.deep.equal([])
    const { project } = projectNames(f.env.config.app.name, f.env.name)
    expect(
      execFileSync("docker", ["ps", "-aq", "--filter", `label=${LABEL.project}=${project}`], {
        encoding: "utf8",
      }).trim(),
    ).to.equal("")

    const client = await f.db.connect()
    const at = new Date()
    await recordRehearsal(client, f.env.config.ledger.schema, {
      env: "rehearsed",
      image: { ref: digest, digest },
      source: "a fresh pg_dump of the spec's database",
      result: "passed",
      migrations: [],
      error: null,
      requestedBy: "spec",
      startedAt: at,
      finishedAt: at,
    })
    const outcome = await deploy({ env: f.env, image: digest, version: "v1", requestedBy: "spec" }, await f.engine())
    expect(outcome.result).to.equal("succeeded")
    expect(f.logs.some((line) => line.startsWith(`rehearsal #1 of ${digest.slice(7, 19)} passed within 1h`))).to.equal(
      true,
    )
  })
})
