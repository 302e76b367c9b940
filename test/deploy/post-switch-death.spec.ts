/**
 * A release that dies after the switch, on the real Docker engine (issue #15, item 2): v2 passes
 * its gate and goes live with v1 as the route's fallback; during the watch window its container
 * is killed. Under a load that never retries (GET and POST, on new and kept-open client
 * connections), no request fails: HAProxy retries a request that met the dead server on another
 * (the last time on the fallback, v1) and takes the dead server down at its third error in a
 * row. The watch then sees v1's version answer, and the deploy switches back to v1 (the same
 * route change) and records rolled_back. A rollback whose target dies the same way is switched
 * back to the release it rolled back from.
 */
import { expect } from "chai"
import { deploy } from "../../core/deploy/deploy.js"
import type { DeployError } from "../../core/deploy/errors.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { rollback } from "../../core/deploy/rollback.js"
import { LABEL } from "../../core/deploy/names.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { killInWatch } from "../helpers/kill-in-watch.js"
import { NO_RETRY, failures, underLoad } from "../helpers/load.js"

describe("a release that dies after the switch (real engine, a load that never retries)", function () {
  this.timeout(180_000)
  let f: DeployFixture

  before(async () => {
    f = await deployFixture("postswitch")
    const first = await deploy(
      { env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" },
      await f.engine(),
    )
    expect(first.result).to.equal("succeeded")
  })
  after(() => f?.cleanup())

  /** An engine whose deploy or rollback kills the containers of `digest` as soon as its watch starts (the switch has routed them live). */
  async function killingInWatch(digest: string) {
    const env = { ...f.env, config: { ...f.env.config, health: { ...f.env.config.health, watch: 8_000 } } }
    const engine = await f.engine(env)
    return { env, engine, ...killInWatch(engine, `label=${LABEL.digest}=${digest}`) }
  }

  it("v2 killed in its watch window: 0 failed requests, switched back to v1, recorded rolled_back", async () => {
    const { env, engine, killed } = await killingInWatch(f.images.app.v2!)
    const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`
    const {
      value: outcome,
      load: { records },
    } = await underLoad({ url, ...NO_RETRY }, () =>
      deploy({ env, image: f.images.app.v2!, version: "v2", requestedBy: "spec" }, engine),
    )
    await killed()
    const served = [...new Set(records.map((r) => r.body))].sort()
    console.log(
      `      non-retrying load while v2 died after its switch: ${records.length} requests, ${failures(records).length} failed, served ${served.join("/")}`,
    )
    expect(
      failures(records).map(
        (r) => `#${r.index} ${r.method}${r.reusedSocket ? " kept-open" : ""}: ${r.error ?? r.status}`,
      ),
    ).to.deep.equal([])
    expect(records.length).to.be.at.least(1_000)
    expect(served).to.deep.equal(["v1", "v2"])
    expect(outcome.result).to.equal("rolled_back")
    expect(outcome.summary).to.match(
      new RegExp(
        `^rolled back: health failed \\d+(\\.\\d+)?m?s after the switch: .*; ${f.images.app.v1} serves again$`,
      ),
    )
    expect(await f.serving()).to.equal("v1")
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect([last!.result, last!.phases.map((p) => p.step)]).to.deep.equal([
      "rolled_back",
      ["preflight", "migrate", "boot", "health-gate", "switch", "watch", "switch-back"],
    ])
  })

  it("a rollback whose target is killed in its watch window: 0 failed requests, switched back to the release it left", async () => {
    // v2 live for real this time, v1 its previous stable release (kept, stopped).
    const second = await deploy(
      { env: f.env, image: f.images.app.v2!, version: "v2", requestedBy: "spec" },
      await f.engine(),
    )
    expect(second.result).to.equal("succeeded")
    const { env, engine, killed } = await killingInWatch(f.images.app.v1!)
    const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`
    let error: unknown
    const {
      load: { records },
    } = await underLoad({ url, ...NO_RETRY }, () =>
      rollback({ env, requestedBy: "spec" }, engine).catch((e: unknown) => (error = e)),
    )
    await killed()
    const served = [...new Set(records.map((r) => r.body))].sort()
    console.log(
      `      non-retrying load while the rollback target died after its switch: ${records.length} requests, ${failures(records).length} failed, served ${served.join("/")}`,
    )
    expect(
      failures(records).map(
        (r) => `#${r.index} ${r.method}${r.reusedSocket ? " kept-open" : ""}: ${r.error ?? r.status}`,
      ),
    ).to.deep.equal([])
    expect(served).to.deep.equal(["v1", "v2"])
    expect((error as DeployError).code).to.equal("switched-back")
    expect((error as Error).message).to.match(
      new RegExp(
        `^the rollback target ${f.images.app.v1} failed its watch window after the switch: .*; switched back: ${f.images.app.v2}, which served before the rollback, serves again\\n`,
      ),
    )
    expect(await f.serving()).to.equal("v2")
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect([last!.action, last!.result, last!.phases.map((p) => p.step)]).to.deep.equal([
      "rollback",
      "failed",
      ["start-kept", "health-gate", "switch", "watch", "switch-back"],
    ])
  })
})
