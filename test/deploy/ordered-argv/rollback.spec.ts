/**
 * The exact Docker commands of a rollback, in order, against a fake Docker host: after v1 then v2
 * were deployed (through the same fake host, so the ledger knows both), back to v1 by starting
 * its kept container, and by booting it again once its container is gone.
 */
import { expect } from "chai"
import { deploy } from "../../../src/deploy/deploy.js"
import { rollback } from "../../../src/deploy/rollback.js"
import {
  LIVE_ROUTE,
  NETWORK,
  PROXY_STATE,
  PS,
  addresses,
  gateSwitchWatch,
  route,
  runWeb,
  start,
  drainedStop,
  switches,
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
        `^rolled back dev to ${V1.digest} in \\d+\\.\\d s \\(switch included; its containers were still on the host\\)$`,
      ),
    )
    expect(s.host.lines()).to.deep.equal([
      PS,
      LIVE_ROUTE,
      addresses(web(V2)),
      start(web(V1)),
      ...gateSwitchWatch(V1, V2),
      ...route(web(V1)),
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
    expect(outcome.summary).to.match(/\(switch included; booted again from the image\)$/)
    expect(s.host.lines()).to.deep.equal([
      ...[PS, LIVE_ROUTE, addresses(web(V2))], // what the host runs and serves
      ...[NETWORK, PROXY_STATE, runWeb(rebooted, "blue", 3, s.db.name)], // boot (a rollback runs no preflight)
      ...gateSwitchWatch(V1, V2),
      ...[...route(web(V1)), ...drainedStop([web(V2)])], // retire: the fallback out of the route, drained, then stopped
    ])
  })
})
