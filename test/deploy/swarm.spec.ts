/**
 * The swarm driver on the real Docker engine as a single-node swarm: each colour a stack deployed
 * with `docker stack deploy`, HAProxy resolving tasks.<service> over an attachable overlay and
 * switched through its runtime API. The same story as the compose driver's: v1, then v2 under a
 * load that never retries (GET and POST, new and kept-open connections) with no failed request; v3 whose
 * health never passes (swarm never admits its task, our gate reports why); v4 failing after the
 * switch and switched back; rollback by scaling the kept colour up; scale in place; status; a
 * release whose tasks are killed after the switch, covered by the old colour as the fallback.
 */
import { expect } from "chai"
import { deploy } from "../../core/deploy/deploy.js"
import { DeployError } from "../../core/deploy/errors.js"
import { lockStatus, readHistory, readStatus } from "../../core/deploy/inspect.js"
import { projectNames } from "../../core/deploy/names.js"
import { rollback } from "../../core/deploy/rollback.js"
import { scale } from "../../core/deploy/scale.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { NO_RETRY, failures, underLoad } from "../helpers/load.js"
import { ensureSwarm, removeStacks, services } from "../helpers/swarm.js"
import { killInWatch } from "../helpers/kill-in-watch.js"

describe("swarm driver on the real Docker engine (single-node swarm)", function () {
  this.timeout(180_000)
  let f: DeployFixture
  let leaveSwarm: () => void
  let project: string

  before(async () => {
    leaveSwarm = ensureSwarm()
    f = await deployFixture("swarm", { overrides: { deploy: { driver: "swarm" }, runtime: { replicas: 2 } } })
    project = projectNames(f.env.config.app.name, f.env.name).project
  })

  after(async () => {
    if (project) await removeStacks(project)
    await f?.cleanup()
    leaveSwarm?.()
  })

  it("deploys v1 as the blue stack, then v2 as green under load: 0 failed of at least 1,000 requests, blue scaled to 0", async () => {
    const first = await deploy(
      { env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" },
      await f.engine(),
    )
    expect(first.result).to.equal("succeeded")
    expect(await f.serving()).to.equal("v1")
    expect(services(project)).to.deep.equal([`${project}-blue_web=2`])

    const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`
    const engine = await f.engine()
    const {
      value: second,
      load: { records },
    } = await underLoad({ url, ...NO_RETRY }, () =>
      deploy({ env: f.env, image: f.images.app.v2!, version: "v2", requestedBy: "spec" }, engine),
    )
    const bodies = new Set(records.map((r) => r.body))
    console.log(
      `      non-retrying load during the v1→v2 swarm deploy: ${records.length} requests (${records.filter((r) => r.method === "POST").length} POST, ${records.filter((r) => r.reusedSocket).length} on a kept-open connection), ${failures(records).length} failed, served ${[...bodies].join("/")}`,
    )
    expect(second.result).to.equal("succeeded")
    expect(records.length).to.be.at.least(1_000)
    expect(failures(records).map((r) => `#${r.index} ${r.method}: ${r.error ?? r.status}`)).to.deep.equal([])
    expect(records.at(-1)!.body).to.equal("v2")
    expect(await f.serving()).to.equal("v2")
    expect(services(project)).to.deep.equal([`${project}-blue_web=0`, `${project}-green_web=2`])
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect(last!.phases.map((p) => p.step)).to.deep.equal([
      "preflight",
      "migrate",
      "boot",
      "health-gate",
      "switch",
      "watch",
      "retire",
    ])
    expect(last!.phases.find((p) => p.step === "health-gate")!.detail).to.match(
      /^2 replica\(s\) passed 2 checks in a row/,
    )
  })

  it("v3, whose health never passes, never gets traffic: the gate names swarm's reason, its stack is removed, the ledger says failed", async () => {
    let error: unknown
    try {
      await deploy({ env: f.env, image: f.images.app.v3!, version: "v3", requestedBy: "spec" }, await f.engine())
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(DeployError)
    expect((error as DeployError).code).to.equal("health-gate")
    expect((error as Error).message).to.match(
      /^the new release never became healthy, so it got no traffic; the old release keeps serving\nhealth gate failed: swarm service .*-blue_web did not pass 1 times in a row within 15s/,
    )
    expect((error as Error).message).to.match(/0 of 2 tasks running and healthy/)
    expect(await f.serving()).to.equal("v2")
    expect(services(project)).to.deep.equal([`${project}-green_web=2`])
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect(last).to.deep.include({ result: "failed", action: "deploy" })
    expect(last!.switchedAt).to.equal(null)
    expect(last!.phases.map((p) => p.step)).to.deep.equal(["preflight", "migrate", "boot", "health-gate"])
    expect(last!.phases[3]!.detail).to.match(
      /^failed: health gate failed: swarm service .*-blue_web did not pass 1 times in a row within 15s/,
    )
    expect(await lockStatus(f.env, await f.engine())).to.equal(null)
  })

  it("v4, healthy at first, fails inside the watch window and is switched back to v2, its colour scaled to 0", async () => {
    const env = { ...f.env, config: { ...f.env.config, health: { ...f.env.config.health, watch: 16_000 } } }
    const outcome = await deploy(
      { env, image: f.images.app.v4!, version: "v4", requestedBy: "spec" },
      await f.engine(env),
    )
    expect(outcome.result).to.equal("rolled_back")
    expect(await f.serving()).to.equal("v2")
    expect(services(project)).to.deep.equal([`${project}-blue_web=0`, `${project}-green_web=2`])
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect(last).to.deep.include({ result: "rolled_back", action: "deploy" })
    expect(last!.phases.map((p) => p.step)).to.deep.equal([
      "preflight",
      "migrate",
      "boot",
      "health-gate",
      "switch",
      "watch",
      "switch-back",
    ])
  })

  it("rollback --to v1 boots it on the idle colour; rollback with no --to then scales the kept v2 colour back up, in seconds", async () => {
    const to = await rollback({ env: f.env, to: f.images.app.v1!, requestedBy: "spec" }, await f.engine())
    expect(to.release.digest).to.equal(f.images.app.v1)
    expect(to.fast).to.equal(false)
    // Booted again from the image, the release reports its digest's first 12 hex as its version.
    expect(await f.serving()).to.equal(to.release.version)
    expect(to.release.version).to.equal(f.images.app.v1!.slice(7, 19))
    expect(services(project)).to.deep.equal([`${project}-blue_web=2`, `${project}-green_web=0`])

    const back = await rollback({ env: f.env, requestedBy: "spec" }, await f.engine())
    expect(back.release.digest).to.equal(f.images.app.v2)
    expect(back.fast).to.equal(true)
    expect(back.summary).to.match(
      /^rolled back dev to sha256:[a-f0-9]{64}: serving \d+\.\d s after the command started, \d+\.\d s in all with the watch window \(its service was kept, scaled to 0, and scaled back up\)$/,
    )
    console.log(`      ${back.summary}`)
    expect(await f.serving()).to.equal("v2")
    expect(services(project)).to.deep.equal([`${project}-blue_web=0`, `${project}-green_web=2`])
  })

  it("scale changes the live service in place, through the gate; status shows each task with its release", async () => {
    const up = await scale({ env: f.env, service: "web", replicas: 3, requestedBy: "spec" }, await f.engine())
    expect(up).to.deep.include({ from: 2, to: 3 })
    expect(services(project)).to.deep.equal([`${project}-blue_web=0`, `${project}-green_web=3`])
    const status = await readStatus(f.env, await f.engine())
    const web = status.containers.filter((c) => c.role === "web" && c.state === "running")
    expect(web.map((c) => [c.live, c.version, c.health])).to.deep.equal([
      [true, "v2", "healthy"],
      [true, "v2", "healthy"],
      [true, "v2", "healthy"],
    ])
    expect(web.every((c) => c.name.startsWith(`${project}-green_web.`))).to.equal(true)
    const down = await scale({ env: f.env, service: "web", replicas: 1, requestedBy: "spec" }, await f.engine())
    expect(down).to.deep.include({ from: 3, to: 1 })
    expect(await f.serving()).to.equal("v2")
  })

  it("v1 deployed again and its tasks killed as its watch starts: the v2 colour, its fallback, answers; 0 failed requests; switched back", async () => {
    const engine = await f.engine()
    const { killed } = killInWatch(engine, `name=${project}-blue_web.`)
    const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`
    const {
      value: outcome,
      load: { records },
    } = await underLoad({ url, ...NO_RETRY }, () =>
      deploy({ env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" }, engine),
    )
    await killed()
    const served = [...new Set(records.map((r) => r.body))].sort()
    console.log(
      `      non-retrying load while v1's tasks died after the switch: ${records.length} requests, ${failures(records).length} failed, served ${served.join("/")}`,
    )
    expect(failures(records).map((r) => `#${r.index} ${r.method}: ${r.error ?? r.status}`)).to.deep.equal([])
    expect(outcome.result).to.equal("rolled_back")
    expect(await f.serving()).to.equal("v2")
  })
})
