/**
 * The compose driver's drain before a stop: it asks the proxy what is still in flight to the
 * containers leaving (by their addresses) until nothing is, for at most the proxy's server
 * timeout, on a fake Docker host and a fake clock.
 */
import { expect } from "chai"
import * as fs from "node:fs"
import { DockerHost } from "../../core/deploy/docker-host.js"
import { HaproxyRoute, PROXY_SETTINGS } from "../../core/deploy/haproxy-route.js"
import { projectNames } from "../../core/deploy/names.js"
import { testEnvironment } from "../helpers/deploy-env.js"
import { FakeDockerHost } from "../helpers/fake-docker-host.js"
import { FIXTURES } from "../helpers/paths.js"
import { FakeTiming } from "../health/support/fake-timing.js"

// show stat of HAProxy 2.6.12 with 4 requests in flight to 10.0.0.5 (see test/docker/haproxy.spec.ts).
const BUSY = fs.readFileSync(`${FIXTURES}/haproxy/show-stat.txt`, "utf8")
const IDLE = BUSY.replace("live,green1,1,0,3,", "live,green1,0,0,0,")
const STAT = /show stat -1 4 -1/

async function drainOn(host: FakeDockerHost): Promise<{ left: number; timing: FakeTiming; reads: number }> {
  const env = await testEnvironment({ name: "dev", app: "shop", ledgerDatabase: "unused", proxyImage: "haproxy:test" })
  const timing = new FakeTiming()
  host.on("docker container inspect", { stdout: "/shop-dev-web-1\trunning\tgreen\t10.0.0.5\n" })
  const route = new HaproxyRoute(
    new DockerHost({ executor: host, names: projectNames("shop", "dev"), config: env.config, timing }),
  )
  const left = await route.drain(["shop-dev-web-1"], timing)
  return { left, timing, reads: host.lines().filter((line) => STAT.test(line)).length }
}

describe("deploy/haproxy-route: drain", () => {
  it("returns once the proxy has nothing in flight to the containers, polling every 100 ms", async () => {
    const host = new FakeDockerHost().on(STAT, { stdout: IDLE }).on(STAT, { stdout: BUSY }, 2)
    const { left, timing, reads } = await drainOn(host)
    expect([left, reads, timing.sleeps]).to.deep.equal([0, 3, [100, 100]])
  })

  it("gives up at the proxy's server timeout, when no request can still be answered, and says how many were left", async () => {
    const { left, timing, reads } = await drainOn(new FakeDockerHost().on(STAT, { stdout: BUSY }))
    expect([left, timing.t, reads]).to.deep.equal([4, PROXY_SETTINGS.serverTimeoutMs, 601])
  })

  it("waits for nothing when the proxy does not answer (it is gone: nothing can be in flight through it)", async () => {
    const { left, reads, timing } = await drainOn(new FakeDockerHost().on(STAT, { exitCode: 1 }))
    expect([left, reads, timing.t]).to.deep.equal([0, 1, 0])
  })
})
