/**
 * The deploy lock on the real engine: of two concurrent deploys exactly one proceeds while the
 * other fails naming the holder or waits its turn; a SIGKILLed deployer leaves no lock, and the
 * next deploy marks its row aborted.
 */
import { expect } from "chai"
import { spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { stringify } from "yaml"
import { deploy } from "../../core/deploy/deploy.js"
import { lockStatus, readHistory } from "../../core/deploy/inspect.js"
import { LockHeldError } from "../../core/ledger/lock/errors.js"
import { CLI_ARGV } from "../helpers/cli.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"

describe("deploy lock on the real Docker engine", function () {
  this.timeout(180_000)
  let f: DeployFixture

  before(async () => {
    f = await deployFixture("lock")
  })
  after(() => f?.cleanup())

  it("of two concurrent deploys exactly one proceeds; the other fails naming the holder", async () => {
    const results = await Promise.allSettled([
      deploy({ env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "alice" }, await f.engine()),
      deploy({ env: f.env, image: f.images.app.v2!, version: "v2", requestedBy: "bob" }, await f.engine()),
    ])
    const won = results.filter((r) => r.status === "fulfilled")
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected")
    expect(won).to.have.length(1)
    expect(lost).to.have.length(1)
    expect(lost[0]!.reason).to.be.instanceOf(LockHeldError)
    expect((lost[0]!.reason as Error).message).to.match(
      /^dev is locked by spec@\S+ \(pid \d+\) since \d\d:\d\d:\d\d UTC: deploying sha256:[a-f0-9]{64}; wait with --lock-wait SECONDS or ask them$/,
    )
    const history = await readHistory(f.env, await f.engine())
    expect(history.map((r) => r.result)).to.deep.equal(["succeeded"])
  })

  it("with --lock-wait the second deploy waits for the first and then proceeds", async () => {
    const live = (await readHistory(f.env, await f.engine(), 1))[0]!.image.digest
    const other =
      live === f.images.app.v1 ? { image: f.images.app.v2!, version: "v2" } : { image: f.images.app.v1!, version: "v1" }
    // v4 is healthy for its first 10 s, longer than this environment's 3 s watch: a good release here.
    const results = await Promise.all([
      deploy({ env: f.env, ...other, requestedBy: "alice", lockWaitMs: 120_000 }, await f.engine()),
      deploy(
        { env: f.env, image: f.images.app.v4!, version: "v4", requestedBy: "bob", lockWaitMs: 120_000 },
        await f.engine(),
      ),
    ])
    expect(results.map((r) => r.result)).to.deep.equal(["succeeded", "succeeded"])
    const [later, earlier] = await readHistory(f.env, await f.engine(), 2)
    expect(later!.startedAt.getTime()).to.be.at.least(earlier!.finishedAt!.getTime())
    expect(f.logs.some((line) => /^locking dev \(wait up to 120s\)$/.test(line))).to.equal(true)
  })

  it("a SIGKILLed deployer leaves no lock, and the next deploy marks its row aborted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dp-lock-"))
    writeFileSync(
      join(dir, "dev.yaml"),
      stringify({
        ...f.env.config,
        tier: "development",
        deploy: {
          ...f.env.config.deploy,
          lock_wait: "0s",
          migrations: { ...f.env.config.deploy.migrations, lock_timeout: "2s", statement_timeout: "5m" },
        },
        runtime: durations(f.env.config.runtime),
        health: { ...f.env.config.health, interval: "500ms", timeout: "2s", start_deadline: "60s", watch: "30s" },
      }),
    )
    // The killed deploy goes to whichever of v1 and v2 is not live now.
    const live = (await readHistory(f.env, await f.engine(), 1))[0]!.image.digest
    const next = live === f.images.app.v2 ? f.images.app.v1! : f.images.app.v2!
    const other =
      next === f.images.app.v1 ? { image: f.images.app.v2!, version: "v2" } : { image: f.images.app.v1!, version: "v1" }
    const child = spawn(process.execPath, [...CLI_ARGV, "deploy", "--env", "dev", "--dir", dir, "--image", next], {
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let said = ""
    child.stderr.on("data", (chunk: Buffer) => (said += chunk.toString("utf8")))
    await waitUntil(
      () => /watch…/.test(said),
      60_000,
      () => said,
    )
    const held = await lockStatus(f.env, await f.engine())
    expect(held?.state).to.equal("held")
    child.kill("SIGKILL")
    await new Promise((resolve) => child.once("exit", resolve))
    await waitUntil(
      async () => (await lockStatus(f.env, await f.engine()))?.state !== "held",
      10_000,
      () => "lock still held",
    )
    const started = (await readHistory(f.env, await f.engine(), 1))[0]!
    expect(started.result).to.equal("started")
    // The killed deploy had switched: the proxy serves `next` while the ledger still names `current`.
    // The CLI was given no --version, so the app reports the digest's first 12 hex.
    expect(await f.serving()).to.equal(next.slice("sha256:".length, "sha256:".length + 12))
    const outcome = await deploy({ env: f.env, ...other, requestedBy: "spec" }, await f.engine())
    expect(outcome.result).to.equal("succeeded")
    expect(outcome.previous).to.equal(next)
    const after = (await readHistory(f.env, await f.engine(), 5)).find((r) => r.id === started.id)!
    expect(after.result).to.equal("aborted")
    expect(f.logs.some((line) => line.startsWith(`marked deploy #${started.id} aborted: its deployer (`))).to.equal(
      true,
    )
  })
})

function durations(runtime: DeployFixture["env"]["config"]["runtime"]) {
  return {
    ...runtime,
    restart_policy: {
      ...runtime.restart_policy,
      delay: `${runtime.restart_policy.delay}ms`,
      window: `${runtime.restart_policy.window}ms`,
    },
    update_config: {
      ...runtime.update_config,
      delay: `${runtime.update_config.delay}ms`,
      monitor: `${runtime.update_config.monitor}ms`,
    },
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${why()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
