/**
 * deploy.migrations.rehearse required, the pure decision: the newest rehearsal of the digest must
 * have passed within max_age. (test/migrations/rehearse.spec.ts reads real ledger rows.)
 */
import { expect } from "chai"
import { formatAge, rehearsalProblem } from "../../src/deploy/rehearsal-requirement.js"
import { releaseOf } from "../../src/deploy/release.js"

const release = releaseOf(`registry.example.com/acme/webapp@sha256:${"0a".repeat(32)}`)
const HOUR = 3_600_000
const now = new Date("2026-12-06T12:00:00Z")
const required = `production requires a passing migrations rehearsal of sha256:${"0a".repeat(32)} within 24h (deploy.migrations.rehearse)`
const next = `next: run deploy-pipeline migrations rehearse --env production --image ${release.image} (or dagger call rehearse-migrations), then deploy again. Nothing was changed`

describe("deploy/rehearsal-requirement", () => {
  it("lets a deploy on when the newest rehearsal of the digest passed within max_age", () => {
    expect(rehearsalProblem("production", release, 24 * HOUR, { id: 7, result: "passed", finishedAt: new Date(now.getTime() - 23 * HOUR), error: null }, now)).to.equal(undefined)
  })

  it("refuses without a rehearsal, with the command that makes one", () => {
    const problem = rehearsalProblem("production", release, 24 * HOUR, null, now)!
    expect([problem.code, problem.problem, problem.message]).to.deep.equal(["refused", "rehearsal-missing", `${required}, and the ledger has none\n${next}`])
  })

  it("refuses when the newest failed, quoting the first line of its error", () => {
    const problem = rehearsalProblem("production", release, 24 * HOUR, { id: 9, result: "failed", finishedAt: now, error: "exited 1: check constraint violated\nTraceback" }, now)!
    expect([problem.problem, problem.message]).to.deep.equal([
      "rehearsal-failed",
      `${required}, and the latest, #9, failed: exited 1: check constraint violated\nnext: fix the migration, publish a new release and rehearse it. Nothing was changed`,
    ])
  })

  it("refuses a rehearsal older than max_age", () => {
    const problem = rehearsalProblem("production", release, 24 * HOUR, { id: 3, result: "passed", finishedAt: new Date(now.getTime() - 30 * HOUR), error: null }, now)!
    expect([problem.problem, problem.message]).to.deep.equal(["rehearsal-stale", `${required}, and the latest, #3, passed 30h ago\n${next}`])
  })

  it("says ages as people do", () => {
    expect([formatAge(42_000), formatAge(45 * 60_000), formatAge(24 * HOUR), formatAge(1.5 * HOUR)]).to.deep.equal(["42s", "45m", "24h", "1.5h"])
  })
})
