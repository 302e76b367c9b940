/**
 * The must-show: our load test against the test app (v1) deployed blue-green on this machine's
 * Docker engine, through its live proxy port, agrees with wrk run directly on the same URL with
 * the same settings. Tolerance from this run's own noise: two direct runs bracket ours (direct,
 * ours, direct, so drift during the test does not favour either side); their spread sets the
 * bound, with a floor for when the two happen to agree closely.
 */
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { expect } from "chai"
import { deploy } from "../../core/deploy/deploy.js"
import { localExecutor } from "../../core/exec/local.js"
import { runLoadTest } from "../../core/loadtest/run.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"

const execFileAsync = promisify(execFile)
const SECONDS = 5
const USERS = 10

/** A direct wrk run, read with its own two regular expressions (not our parser). */
async function directWrk(url: string, seconds: number): Promise<{ rps: number; p50Ms: number; errors: boolean }> {
  // Written out by hand, the settings runLoadTest uses for { users: 10, duration: 5 }: 2 threads, 2 s timeout.
  const { stdout } = await execFileAsync("wrk", [
    "--latency",
    "--connections",
    String(USERS),
    "--threads",
    "2",
    "--duration",
    `${seconds}s`,
    "--timeout",
    "2s",
    url,
  ])
  const rps = /^Requests\/sec:\s+([\d.]+)$/m.exec(stdout)
  const p50 = /^\s+50%\s+([\d.]+)(us|ms|s)\s*$/m.exec(stdout)
  if (!rps || !p50) throw new Error(`unexpected wrk output:\n${stdout}`)
  const scale = { us: 0.001, ms: 1, s: 1000 }[p50[2] as "us" | "ms" | "s"]
  return { rps: Number(rps[1]), p50Ms: Number(p50[1]) * scale, errors: /Socket errors|Non-2xx/.test(stdout) }
}

const relative = (a: number, b: number) => Math.abs(a - b) / ((a + b) / 2)

describe("load test against an app deployed on the local engine", function () {
  this.timeout(180_000)
  let f: DeployFixture

  before(async () => {
    f = await deployFixture("loadtest")
  })
  after(async () => {
    await f?.cleanup()
  })

  it("reports rps, latency and errors that agree with a direct wrk run on the same live proxy URL", async () => {
    const outcome = await deploy(
      { env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" },
      await f.engine(),
    )
    expect(outcome.result).to.equal("succeeded")
    expect(await f.serving()).to.equal("v1")
    const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`

    await directWrk(url, 1) // warm-up: first connections, caches
    const before = await directWrk(url, SECONDS)
    const ours = await runLoadTest(localExecutor, { url, users: USERS, duration: SECONDS })
    const after = await directWrk(url, SECONDS)

    const directRps = (before.rps + after.rps) / 2
    const rpsSpread = relative(before.rps, after.rps)
    const rpsTolerance = Math.max(3 * rpsSpread, 0.25)
    const directP50 = (before.p50Ms + after.p50Ms) / 2
    const p50Tolerance = Math.max(3 * Math.abs(before.p50Ms - after.p50Ms), 0.5 * directP50, 0.2)
    console.log(`      ${url}: ${USERS} connections, ${SECONDS} s each`)
    console.log(
      `      direct wrk   rps ${before.rps.toFixed(2)} then ${after.rps.toFixed(2)} (spread ${(100 * rpsSpread).toFixed(1)}%), p50 ${before.p50Ms} then ${after.p50Ms} ms`,
    )
    console.log(
      `      ours         rps ${ours.rps.toFixed(2)} (${(100 * relative(ours.rps, directRps)).toFixed(1)}% from the direct mean; allowed ${(100 * rpsTolerance).toFixed(1)}%), p50 ${ours.latencyMs.p50} ms (allowed ±${p50Tolerance.toFixed(3)} ms), p95 ${ours.latencyMs.p95} ms, p99 ${ours.latencyMs.p99} ms, ${ours.requests} requests, ${ours.errors.total} errors`,
    )

    expect([before.errors, after.errors]).to.deep.equal([false, false])
    expect(ours.errors).to.deep.equal({ connect: 0, read: 0, write: 0, timeout: 0, status: 0, total: 0 })
    expect(ours.target).to.equal(url)
    expect(ours.requests).to.be.above(0)
    expect(Math.abs(ours.rps - directRps) / directRps).to.be.at.most(rpsTolerance)
    expect(Math.abs(ours.latencyMs.p50 - directP50)).to.be.at.most(p50Tolerance)
    expect(await f.serving()).to.equal("v1")
  })
})
