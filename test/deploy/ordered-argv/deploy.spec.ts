/**
 * The exact Docker commands of a deploy, in order, against a fake Docker host: a first deploy, a
 * blue-green deploy over a live release, and a switch-back after a failed watch. The real-engine
 * stories (engine.spec.ts, swarm.spec.ts) prove the same steps on Docker; these prove the order.
 */
import { expect } from "chai"
import { deploy } from "../../../core/deploy/deploy.js"
import { DeployError } from "../../../core/deploy/errors.js"
import { readHistory } from "../../../core/deploy/inspect.js"
import {
  IMAGE_ID,
  LIVE_ROUTE,
  NETWORK,
  NETWORK_CREATE,
  PROXY_RUN,
  PROXY_STATE,
  PS,
  RUNTIME,
  SAVE,
  SESSIONS,
  VERSION,
  addresses,
  drainedStop,
  gateSwitchWatch,
  probe,
  route,
  runWeb,
  switches,
  stop,
  times,
  warmTimer,
  web,
} from "./lines.js"
import { type Stage, V1, V2, health, script, sessionsStat, stage, webRow } from "./stage.js"

/** v2 over a live v1, up to its boot: what the host has and serves (the proxy's live addresses, then whose they are), the preflight, the infrastructure there already, green's replica. */
const v2Booted = (db: string) => [
  PS,
  LIVE_ROUTE,
  addresses(web(V1)),
  VERSION,
  IMAGE_ID(V2),
  NETWORK,
  PROXY_STATE,
  runWeb(V2, "green", 1, db),
]

describe("deploy: the ordered Docker commands (fake host)", function () {
  this.timeout(30_000)
  let s: Stage
  beforeEach(async () => {
    s = await stage("argv_deploy")
  })
  afterEach(() => s.cleanup())

  it("a first deploy creates the network and the proxy, boots blue, gates it, switches and watches", async () => {
    script(s.host, {
      rows: [],
      live: [],
      health: { [web(V1)]: health("healthy", "v1"), "127.0.0.1": health("healthy", "v1") },
    })
    s.host.on(NETWORK, { exitCode: 1 }).on(PROXY_STATE, { exitCode: 1 })
    const outcome = await deploy({ env: s.env, image: V1.ref, version: "v1", requestedBy: "spec" }, await s.deps())
    expect([outcome.result, outcome.summary]).to.deep.equal(["succeeded", `${V1.digest} is live in dev (blue)`])
    expect(s.host.lines()).to.deep.equal([
      PS, // what the host runs: no web container, so nothing can be live
      ...[VERSION, IMAGE_ID(V1)], // preflight
      ...[NETWORK, NETWORK_CREATE, PROXY_STATE, PROXY_RUN, runWeb(V1, "blue", 1, s.db.name)], // boot
      ...gateSwitchWatch(V1),
      PS, // retire: what is left to prune
    ])
    const proxyEnv = s.host.calls.find(([argv]) => argv.join(" ") === PROXY_RUN)![1]!.env!
    expect([Object.keys(proxyEnv), proxyEnv.HAPROXY_CONFIG!.split("\n")[0]]).to.deep.equal([
      ["HAPROXY_CONFIG"],
      "global",
    ])
    expect(switches(s.host)).to.deep.equal([{ live: [`${web(V1)}:8000`], fallback: [], preview: [] }])
  })

  it("a deploy over a live release boots the other colour, switches to it with the old one as its fallback, then takes the fallback out of the route and stops it", async () => {
    script(s.host, {
      rows: [webRow(V1, 1, "running", "blue", 1)],
      live: [web(V1)],
      health: { [web(V2)]: health("healthy", "v2"), "127.0.0.1": health("healthy", "v2") },
    })
    const outcome = await deploy({ env: s.env, image: V2.ref, version: "v2", requestedBy: "spec" }, await s.deps())
    expect([outcome.result, outcome.previous, outcome.summary]).to.deep.equal([
      "succeeded",
      V1.digest,
      `${V2.digest} is live in dev (green)`,
    ])
    expect(s.host.lines()).to.deep.equal([
      ...v2Booted(s.db.name),
      ...gateSwitchWatch(V2, V1),
      ...route(web(V2)),
      PS,
      ...drainedStop([web(V1)]),
    ])
    expect(switches(s.host)).to.deep.equal([
      { live: [`${web(V2)}:8000`], fallback: [`${web(V1)}:8000`], preview: [`${web(V1)}:8000`] },
      { live: [`${web(V2)}:8000`], fallback: [], preview: [] },
    ])
  })

  it("with deploy.keep_warm, retire takes the old release out of the route and leaves it running with its timer, instead of stopping it", async () => {
    const env = { ...s.env, config: { ...s.env.config, deploy: { ...s.env.config.deploy, keep_warm: 600_000 } } }
    script(s.host, {
      rows: [webRow(V1, 1, "running", "blue", 1)],
      live: [web(V1)],
      health: { [web(V2)]: health("healthy", "v2"), "127.0.0.1": health("healthy", "v2") },
    })
    const outcome = await deploy({ env, image: V2.ref, version: "v2", requestedBy: "spec" }, await s.deps())
    expect(outcome.result).to.equal("succeeded")
    expect(s.host.lines()).to.deep.equal([
      ...v2Booted(s.db.name),
      ...gateSwitchWatch(V2, V1),
      ...route(web(V2)),
      PS,
      warmTimer(web(V1)),
    ])
    const [row] = await readHistory(s.env, await s.deps(), 1)
    expect(row!.phases.find((p) => p.step === "retire")!.detail).to.equal(
      `kept ${web(V1)} warm for 10m, out of the route`,
    )
  })

  it("a release that fails its watch window is switched back: the old one live again (the same route change), the new one stopped once its requests in flight are answered, and kept", async () => {
    script(s.host, {
      rows: [webRow(V1, 1, "running", "blue", 1)],
      live: [web(V1)],
      health: { [web(V2)]: health("healthy", "v2"), "127.0.0.1": health("unhealthy", "v2") },
    })
    s.host.on(SESSIONS, { stdout: sessionsStat({ [web(V2)]: 2 }) }, 2)
    const outcome = await deploy({ env: s.env, image: V2.ref, version: "v2", requestedBy: "spec" }, await s.deps())
    expect([outcome.result, outcome.summary]).to.deep.equal([
      "rolled_back",
      `rolled back: health failed 0ms after the switch: expected status 200, got 503; ${V1.digest} serves again`,
    ])
    expect(s.host.lines()).to.deep.equal([
      ...v2Booted(s.db.name),
      ...times(2, probe(`${web(V2)}:8000`)),
      ...route(web(V2), web(V1)),
      ...times(2, probe("127.0.0.1:80")),
      ...route(web(V1)),
      ...drainedStop([web(V2)], 3), // two reads with requests in flight, then none
    ])
    expect(switches(s.host)).to.deep.equal([
      { live: [`${web(V2)}:8000`], fallback: [`${web(V1)}:8000`], preview: [`${web(V1)}:8000`] },
      { live: [`${web(V1)}:8000`], fallback: [], preview: [] },
    ])
    const [row] = await readHistory(s.env, await s.deps(), 1)
    expect([row!.result, row!.error, row!.switchedAt !== null]).to.deep.equal([
      "rolled_back",
      "health failed 0ms after the switch: expected status 200, got 503",
      true,
    ])
    expect(row!.phases.map((p) => [p.step, p.detail])).to.deep.equal([
      ["preflight", "docker 27.3.1, image present; postgres 0 ms, memcached 0 ms, rabbitmq 0 ms"],
      ["migrate", "checked: no pending migration SQL given; not applied (deploy.migrations.run is false)"],
      ["boot", `${web(V2)} (green)`],
      ["health-gate", "1 replica(s) passed 2 checks in a row (slowest 500ms)"],
      ["switch", "live → green (1 replica)"],
      ["watch", "failed after 0ms"],
      ["switch-back", `live → blue again; ${V2.short} stopped and kept for inspection`],
    ])
  })

  it("a route HAProxy refuses fails the switch with what it said, names the proxy, and saves nothing", async () => {
    script(s.host, {
      rows: [webRow(V1, 1, "running", "blue", 1)],
      live: [web(V1)],
      health: { [web(V2)]: health("healthy", "v2") },
    })
    s.host.on(RUNTIME, { stdout: "No such server.\n\n" })
    const error = await deploy({ env: s.env, image: V2.ref, version: "v2", requestedBy: "spec" }, await s.deps()).then(
      () => expect.fail("deployed"),
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(DeployError)
    expect([(error as DeployError).code, (error as Error).message]).to.deep.equal([
      "switch",
      [
        "the proxy shop-dev-proxy refused the route to live green (10.0.2.1), fallback blue; HAProxy said: No such server.",
        "next: the route it serves may be half-changed; check it with deploy-pipeline status, and that shop-dev-proxy runs HAProxy from deploy.proxy.image with this driver's config (remove it to have the next deploy recreate it)",
      ].join("\n"),
    ])
    expect(s.host.lines().slice(-2)).to.deep.equal([addresses(web(V2), web(V1)), RUNTIME])
    expect(s.host.lines()).to.not.include(SAVE)
  })
})
