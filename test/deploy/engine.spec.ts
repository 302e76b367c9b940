/**
 * The deploy engine on the real Docker engine, as one story: v1, then v2 under load with no
 * failed request; v3 whose health never passes; v4 that fails after the switch and is switched
 * back; rollbacks to the previous stable release and --to a digest. RabbitMQ receives every
 * event. Images come from docker import; Postgres and RabbitMQ are the real local ones. The load
 * never retries (a reset or refused connection is a failed request), GET and POST, on new and
 * kept-open client connections. (The busybox test app answers with a Content-Length and
 * "Connection: close": the proxy keeps the client's connection open and dials the app anew for
 * each request. Kept-open connections to the app itself, across switches, are proven with a
 * keep-alive backend in test/docker/haproxy-switch.spec.ts.)
 */
import { expect } from "chai"
import amqp from "amqplib"
import { deploy } from "../../core/deploy/deploy.js"
import { DeployError } from "../../core/deploy/errors.js"
import { lockStatus, readHistory, readStatus } from "../../core/deploy/inspect.js"
import { projectNames } from "../../core/deploy/names.js"
import { execFileSync } from "node:child_process"
import { rollback } from "../../core/deploy/rollback.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { NO_RETRY, failures, underLoad } from "../helpers/load.js"

/** GET / once the restarted proxy listens: Docker's port forward closes connections until it does (at most 5 s). */
async function servingOnceListening(f: DeployFixture): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await f.serving()
    } catch (error) {
      if (attempt === 50) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

describe("deploy engine on the real Docker engine", function () {
  this.timeout(180_000)
  let f: DeployFixture
  let events: amqp.ConsumeMessage[]
  let closeEvents: () => Promise<void>

  before(async () => {
    f = await deployFixture("engine")
    const connection = await amqp.connect("amqp://guest:guest@127.0.0.1:5672")
    const channel = await connection.createChannel()
    const exchange = f.env.config.notify.exchange
    await channel.assertExchange(exchange, "topic", { durable: true })
    const { queue } = await channel.assertQueue("", { exclusive: true })
    await channel.bindQueue(queue, exchange, `${f.env.name}.*`)
    events = []
    await channel.consume(queue, (message) => message && events.push(message), { noAck: true })
    closeEvents = async () => connection.close()
  })

  after(async () => {
    await closeEvents?.()
    await f?.cleanup()
  })

  it("1. blue-green: v1, then v2 under load; 0 failed of at least 1,000 requests; v2 serves after the switch", async () => {
    const first = await deploy(
      { env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" },
      await f.engine(),
    )
    expect(first.result).to.equal("succeeded")
    expect(await f.serving()).to.equal("v1")

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
      `      non-retrying load during the v1→v2 deploy: ${records.length} requests (${records.filter((r) => r.method === "POST").length} POST, ${records.filter((r) => r.reusedSocket).length} on a kept-open connection), ${failures(records).length} failed, served ${[...bodies].join("/")}`,
    )
    expect(second.result).to.equal("succeeded")
    expect(records.length).to.be.at.least(1_000)
    expect(failures(records).map((r) => `#${r.index} ${r.method}: ${r.error ?? r.status}`)).to.deep.equal([])
    expect([...bodies].sort()).to.deep.equal(["v1", "v2"])
    expect(records.at(-1)!.body).to.equal("v2")
    expect(await f.serving()).to.equal("v2")
  })

  it("2. a failing release: v3 never gets traffic, v2 keeps serving, the ledger says failed, the lock is free", async () => {
    let error: unknown
    try {
      await deploy({ env: f.env, image: f.images.app.v3!, version: "v3", requestedBy: "spec" }, await f.engine())
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(DeployError)
    expect((error as DeployError).code).to.equal("health-gate")
    expect((error as Error).message).to.match(
      /^the new release never became healthy, so it got no traffic; the old release keeps serving\n/,
    )
    expect(await f.serving()).to.equal("v2")
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect(last).to.deep.include({ result: "failed", action: "deploy" })
    expect(last!.image.digest).to.equal(f.images.app.v3)
    expect(last!.switchedAt).to.equal(null)
    expect(await lockStatus(f.env, await f.engine())).to.equal(null)
  })

  it("3. a failure after the switch: v4 turns unhealthy inside the watch window and is switched back to v2, under load with 0 failed", async () => {
    const env = { ...f.env, config: { ...f.env.config, health: { ...f.env.config.health, watch: 16_000 } } }
    const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`
    const engine = await f.engine(env)
    const {
      value: outcome,
      load: { records },
    } = await underLoad({ url, ...NO_RETRY }, () =>
      deploy({ env, image: f.images.app.v4!, version: "v4", requestedBy: "spec" }, engine),
    )
    console.log(
      `      non-retrying load during v4's switch and switch-back: ${records.length} requests, ${failures(records).length} failed`,
    )
    expect(failures(records).map((r) => `#${r.index} ${r.method}: ${r.error ?? r.status}`)).to.deep.equal([])
    expect(outcome.result).to.equal("rolled_back")
    expect(outcome.summary).to.match(/^rolled back: health failed \d+(\.\d+)?s after the switch: /)
    expect(await f.serving()).to.equal("v2")
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect(last).to.deep.include({ result: "rolled_back", action: "deploy" })
    expect(last!.switchedAt).to.be.instanceOf(Date)
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

  it("4a. rollback with no --to returns to the previous stable release, reusing its kept containers, and reports seconds", async () => {
    const outcome = await rollback({ env: f.env, requestedBy: "spec" }, await f.engine())
    expect(outcome.release.digest).to.equal(f.images.app.v1)
    expect(outcome.from).to.equal(f.images.app.v2)
    expect(outcome.fast).to.equal(true)
    expect(outcome.summary).to.match(
      /^rolled back dev to sha256:[a-f0-9]{64}: serving \d+\.\d s after the command started, \d+\.\d s in all with the watch window \(its containers were still on the host\)$/,
    )
    console.log(`      ${outcome.summary}`)
    expect(await f.serving()).to.equal("v1")
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect(last).to.deep.include({ action: "rollback", result: "succeeded" })
  })

  it("4b. rollback --to a digest goes to that release", async () => {
    const outcome = await rollback({ env: f.env, to: f.images.app.v2!, requestedBy: "spec" }, await f.engine())
    expect(outcome.release.digest).to.equal(f.images.app.v2)
    expect(await f.serving()).to.equal("v2")
    let error: unknown
    try {
      await rollback({ env: f.env, to: f.images.app.v3!, requestedBy: "spec" }, await f.engine())
    } catch (e) {
      error = e
    }
    expect((error as Error).message).to.equal(
      `${f.images.app.v3} was never deployed successfully to dev; roll back to a release from deploy-pipeline history --env dev`,
    )
  })

  it("7. RabbitMQ received every event, persistent JSON on <env>.<event>, with the documented payload", async () => {
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(events.map((m) => m.fields.routingKey)).to.deep.equal([
      "dev.started",
      "dev.succeeded", // v1
      "dev.started",
      "dev.succeeded", // v2
      "dev.started",
      "dev.failed", // v3
      "dev.started",
      "dev.rolled_back", // v4
      "dev.started",
      "dev.succeeded", // rollback to v1
      "dev.started",
      "dev.succeeded", // rollback --to v2
      // rollback --to v3 was refused before its ledger row, so it sent nothing
    ])
    for (const message of events) {
      expect(message.properties.contentType).to.equal("application/json")
      expect(message.properties.deliveryMode).to.equal(2)
    }
    const v2Succeeded = JSON.parse(events[3]!.content.toString("utf8"))
    expect(Object.keys(v2Succeeded).sort()).to.deep.equal([
      "action",
      "at",
      "configHash",
      "deployId",
      "digest",
      "durationMs",
      "env",
      "event",
      "image",
      "previousDigest",
      "requestedBy",
      "result",
      "version",
    ])
    expect(v2Succeeded).to.deep.include({
      event: "succeeded",
      env: "dev",
      action: "deploy",
      image: f.images.app.v2,
      digest: f.images.app.v2,
      previousDigest: f.images.app.v1,
      configHash: f.env.hash,
      requestedBy: "spec",
      result: "succeeded",
      version: 1,
    })
    const rolledBack = JSON.parse(events[7]!.content.toString("utf8"))
    expect(rolledBack).to.deep.include({ event: "rolled_back", digest: f.images.app.v4, result: "rolled_back" })
    expect(rolledBack.error).to.match(/^health failed /)
  })

  it("8. the proxy stopped, then removed: status is down and says what to do; a start, then the next deploy, serve again", async () => {
    const { proxy } = projectNames(f.env.config.app.name, f.env.name)
    const address = `127.0.0.1:${f.env.config.deploy.proxy.http_port}`
    execFileSync("docker", ["stop", proxy], { stdio: "ignore" })
    expect((await readStatus(f.env, await f.engine())).serving).to.deep.equal({
      state: "down",
      digest: null,
      version: null,
      note: `the proxy ${proxy} is exited: nothing answers on ${address}; start it (docker start ${proxy}), which serves its saved route again, or deploy, which restarts it`,
    })
    execFileSync("docker", ["start", proxy], { stdio: "ignore" })
    expect(await servingOnceListening(f)).to.equal("v2")
    expect((await readStatus(f.env, await f.engine())).serving).to.deep.equal({
      state: "up",
      digest: f.images.app.v2,
      version: "v2",
      note: null,
    })

    execFileSync("docker", ["rm", "--force", proxy], { stdio: "ignore" })
    expect((await readStatus(f.env, await f.engine())).serving).to.deep.equal({
      state: "down",
      digest: null,
      version: null,
      note: `the proxy ${proxy} does not exist: nothing answers on ${address}; deploy again, which recreates it (deploy-pipeline deploy --env dev --image ${f.images.app.v2})`,
    })
    const again = await deploy(
      { env: f.env, image: f.images.app.v2!, version: "v2", requestedBy: "spec" },
      await f.engine(),
    )
    expect(again.result).to.equal("succeeded")
    expect(await f.serving()).to.equal("v2")
    expect((await readStatus(f.env, await f.engine())).serving.state).to.equal("up")
  })
})
