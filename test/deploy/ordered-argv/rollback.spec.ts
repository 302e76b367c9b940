/**
 * The exact Docker commands of a rollback, in order, against a fake Docker host: after v1 then v2
 * were deployed (through the same fake host, so the ledger knows both), back to v1 by starting
 * its kept container, and by booting it again once its container is gone.
 */
import { expect } from "chai"
import { deploy } from "../../../core/deploy/deploy.js"
import type { DeployError } from "../../../core/deploy/errors.js"
import { readHistory } from "../../../core/deploy/inspect.js"
import { rollback } from "../../../core/deploy/rollback.js"
import {
  LIVE_ROUTE,
  NETWORK,
  PROXY_STATE,
  PS,
  addresses,
  gateSwitchWatch,
  probe,
  route,
  runWeb,
  start,
  drainedStop,
  cancelWarm,
  switches,
  times,
  warmTimer,
  web,
} from "./lines.js"
import { type Stage, V1, V2, health, script, stage, webRow } from "./stage.js"

describe("rollback: the ordered Docker commands (fake host)", function () {
  this.timeout(30_000)
  let s: Stage
  beforeEach(async () => {
    s = await stage("argv_rollback")
    script(s.host, {
      rows: [],
      live: [],
      health: { [web(V1)]: health("healthy", "v1"), "127.0.0.1": health("healthy", "v1") },
    })
    await deploy({ env: s.env, image: V1.ref, version: "v1", requestedBy: "spec" }, await s.deps())
    script(s.host, {
      rows: [webRow(V1, 1, "running", "blue", 1)],
      live: [web(V1)],
      health: { [web(V2)]: health("healthy", "v2"), "127.0.0.1": health("healthy", "v2") },
    })
    await deploy({ env: s.env, image: V2.ref, version: "v2", requestedBy: "spec" }, await s.deps())
    s.host.clear()
  })
  afterEach(() => s.cleanup())

  it("starts the previous release's kept container, gates it, switches to it with the current one as its fallback, then drops the fallback and stops it", async () => {
    script(s.host, {
      rows: [webRow(V1, 1, "exited", "blue", 1), webRow(V2, 1, "running", "green", 2)],
      live: [web(V2)],
      health: { [web(V1)]: health("healthy", "v1"), "127.0.0.1": health("healthy", "v1") },
    })
    const outcome = await rollback({ env: s.env, requestedBy: "spec" }, await s.deps())
    expect([outcome.fast, outcome.from, outcome.release.version]).to.deep.equal([true, V2.digest, "v1"])
    expect(outcome.summary).to.match(
      new RegExp(
        `^rolled back dev to ${V1.digest}: serving \\d+\\.\\d s after the command started, \\d+\\.\\d s in all with the watch window \\(its containers were still on the host\\)$`,
      ),
    )
    expect(s.host.lines()).to.deep.equal([
      PS,
      LIVE_ROUTE,
      addresses(web(V2)),
      start(web(V1)),
      ...gateSwitchWatch(V1, V2),
      ...route(web(V1)),
      PS,
      ...drainedStop([web(V2)]),
    ])
    expect(switches(s.host)).to.deep.equal([
      { live: [`${web(V1)}:8000`], fallback: [`${web(V2)}:8000`], preview: [`${web(V2)}:8000`] },
      { live: [`${web(V1)}:8000`], fallback: [], preview: [] },
    ])
  })

  it("boots the previous release again when its container is gone; it then reports its digest as the version", async () => {
    const rebooted = { ...V1, version: V1.short }
    script(s.host, {
      rows: [webRow(V2, 1, "running", "green", 2)],
      live: [web(V2)],
      health: { [web(V1)]: health("healthy", V1.short), "127.0.0.1": health("healthy", V1.short) },
    })
    const outcome = await rollback({ env: s.env, requestedBy: "spec" }, await s.deps())
    expect([outcome.fast, outcome.id]).to.deep.equal([false, 3])
    expect(outcome.summary).to.match(/ in all with the watch window \(booted again from the image\)$/)
    expect(s.host.lines()).to.deep.equal([
      ...[PS, LIVE_ROUTE, addresses(web(V2))], // what the host runs and serves
      ...[NETWORK, PROXY_STATE, runWeb(rebooted, "blue", 3, s.db.name)], // boot (a rollback runs no preflight)
      ...gateSwitchWatch(V1, V2),
      ...[...route(web(V1)), PS, ...drainedStop([web(V2)])], // retire: the fallback out of the route, what runs besides, drained, then stopped
    ])
  })

  it("a target that fails its watch window is switched back, like a deploy: what served before serves again, the target stopped and kept", async () => {
    script(s.host, {
      rows: [webRow(V1, 1, "exited", "blue", 1), webRow(V2, 1, "running", "green", 2)],
      live: [web(V2)],
      health: { [web(V1)]: health("healthy", "v1"), "127.0.0.1": health("unhealthy", "v1") },
    })
    let error: unknown
    try {
      await rollback({ env: s.env, requestedBy: "spec" }, await s.deps())
    } catch (e) {
      error = e
    }
    expect([(error as DeployError).code, (error as Error).message]).to.deep.equal([
      "switched-back",
      `the rollback target ${V1.digest} failed its watch window after the switch: expected status 200, got 503; switched back: ${V2.digest}, which served before the rollback, serves again\nnext: check the target's logs (docker logs ${web(V1)}), or roll back --to another release from deploy-pipeline history --env dev`,
    ])
    expect(s.host.lines()).to.deep.equal([
      PS,
      LIVE_ROUTE,
      addresses(web(V2)),
      start(web(V1)),
      ...times(2, probe(`${web(V1)}:8000`)),
      ...route(web(V1), web(V2)),
      ...times(2, probe("127.0.0.1:80")),
      ...route(web(V2)),
      ...drainedStop([web(V1)]),
    ])
    expect(switches(s.host).at(-1)).to.deep.equal({ live: [`${web(V2)}:8000`], fallback: [], preview: [] })
    const [row] = await readHistory(s.env, await s.deps(), 1)
    expect([row!.action, row!.result, row!.phases.map((p) => p.step)]).to.deep.equal([
      "rollback",
      "failed",
      ["start-kept", "health-gate", "switch", "watch", "switch-back"],
    ])
  })

  it("with deploy.keep_warm: a rollback to the warm release cancels its timer, probes it once and switches; the release it left is kept warm in turn", async () => {
    const env = { ...s.env, config: { ...s.env.config, deploy: { ...s.env.config.deploy, keep_warm: 600_000 } } }
    script(s.host, {
      rows: [webRow(V1, 1, "running", "blue", 1), webRow(V2, 1, "running", "green", 2)],
      live: [web(V2)],
      health: { [web(V1)]: health("healthy", "v1"), "127.0.0.1": health("healthy", "v1") },
    })
    const outcome = await rollback({ env, requestedBy: "spec" }, await s.deps())
    expect([outcome.fast, outcome.warm]).to.deep.equal([true, true])
    expect(outcome.summary).to.match(/ in all with the watch window \(its containers were still running: warm\)$/)
    expect(s.host.lines()).to.deep.equal([
      PS,
      LIVE_ROUTE,
      addresses(web(V1), web(V2)), // both run: which one does the proxy route?
      cancelWarm(web(V1)),
      probe(`${web(V1)}:8000`), // one probe: it served before, and never stopped
      ...route(web(V1), web(V2)),
      ...times(7, probe("127.0.0.1:80")),
      ...route(web(V1)), // retire: V2 out of the route, kept running for the window
      PS,
      warmTimer(web(V2)),
    ])
    const [row] = await readHistory(s.env, await s.deps(), 1)
    expect(row!.phases.map((p) => [p.step, p.detail])).to.deep.include.members([
      ["warm", `reused ${web(V1)}, still running (warm)`],
      ["health-gate", "1 replica(s) passed 1 check in a row (slowest 0ms)"],
      ["retire", `kept ${web(V2)} warm for 10m, out of the route`],
    ])
  })
})
