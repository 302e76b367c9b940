/**
 * A release that dies after the switch, on the real Docker engine (issue #15, item 2): v2 passes
 * its gate and goes live with v1 as the route's fallback; during the watch window its container
 * is killed. Under a load that never retries (GET and POST; the busybox test app answers
 * close-delimited, so every request has its own connection), no request fails: HAProxy takes the dead server down at its first refused connection and sends
 * the request that met it to v1. The watch then sees v1's version answer, and the deploy switches
 * back to v1 (the same route change) and records rolled_back.
 */
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { expect } from "chai"
import { deploy } from "../../src/deploy/deploy.js"
import { readHistory } from "../../src/deploy/inspect.js"
import { LABEL } from "../../src/deploy/names.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { DOCKER } from "../helpers/docker-images.js"
import { NO_RETRY, failures, underLoad } from "../helpers/load.js"

const execFileAsync = promisify(execFile)

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

  it("v2 killed in its watch window: 0 failed requests, switched back to v1, recorded rolled_back", async () => {
    const env = { ...f.env, config: { ...f.env.config, health: { ...f.env.config.health, watch: 8_000 } } }
    const engine = await f.engine(env)
    // Kill v2 as soon as the watch starts (the switch has routed it live, v1 as its fallback).
    let killed: Promise<unknown> | undefined
    const log = engine.log
    engine.log = (line) => {
      log(line)
      if (line === "watch…" && !killed) {
        killed = execFileAsync(DOCKER, ["ps", "--quiet", "--filter", `label=${LABEL.digest}=${f.images.app.v2}`]).then(
          ({ stdout }) => execFileAsync(DOCKER, ["kill", ...stdout.trim().split("\n")]),
        )
      }
    }
    const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`
    const {
      value: outcome,
      load: { records },
    } = await underLoad({ url, ...NO_RETRY }, () =>
      deploy({ env, image: f.images.app.v2!, version: "v2", requestedBy: "spec" }, engine),
    )
    await killed
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
})
