/**
 * The notifier against the real RabbitMQ on 127.0.0.1:5672: temporary queues bound to a
 * temporary topic exchange receive exactly what was published, and every way the broker can
 * fail (down, hung, nack, wrong exchange type, cut connection) gives { delivered: false } with
 * an exact warning, within the timeout, and never an exception.
 */
import { expect } from "chai"
import { randomUUID } from "node:crypto"
import amqp from "amqplib"
import type { EnvironmentConfig } from "../../core/config/schema.js"
import { buildMessage } from "../../core/notify/event.js"
import { type Connect, createNotifier, type Notifier, notifierFor } from "../../core/notify/notifier.js"
import { shippedEnvironment } from "../helpers/environments.js"
import { closedPort, requireService, silentServer } from "../health/support/net.js"
import { AT, LIFECYCLE, STARTED } from "./support/events.js"
import { tcpProxy } from "./support/proxy.js"

const GUEST = { host: "127.0.0.1", port: 5672, vhost: "/", user: "guest", password: "guest" }

/** amqplib's connect, counted, with each connection's close remembered. */
function countingConnect() {
  const connections: amqp.ChannelModel[] = []
  const closed: amqp.ChannelModel[] = []
  const connect: Connect = async (url, options) => {
    const connection = await amqp.connect(url, options)
    connections.push(connection)
    connection.on("close", () => closed.push(connection))
    return connection
  }
  return { connect, connections, closed }
}

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms}ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe("notify/notifier", () => {
  let admin: amqp.ChannelModel
  let channel: amqp.Channel
  let exchange: string
  const open: Notifier[] = []
  const track = (notifier: Notifier) => (open.push(notifier), notifier)

  before(async () => {
    await requireService("RabbitMQ", 5672)
    admin = await amqp.connect("amqp://guest:guest@127.0.0.1:5672")
    channel = await admin.createChannel()
  })
  beforeEach(() => {
    exchange = `deploy-pipeline.test.${randomUUID().slice(0, 8)}`
  })
  afterEach(async () => {
    await Promise.all(open.splice(0).map((n) => n.close()))
    await channel.deleteExchange(exchange)
  })
  after(async () => admin.close())

  /** An exclusive queue bound with `pattern`, collecting what arrives. */
  async function listen(pattern: string, args: Record<string, unknown> = {}) {
    const { queue } = await channel.assertQueue("", { exclusive: true, arguments: args })
    await channel.assertExchange(exchange, "topic", { durable: true })
    await channel.bindQueue(queue, exchange, pattern)
    const messages: amqp.ConsumeMessage[] = []
    if (!("x-max-length" in args)) await channel.consume(queue, (m) => void (m && messages.push(m)), { noAck: true })
    return messages
  }

  it("publishes each event persistently, as JSON, routed <env>.<event>, over one lazily opened connection", async () => {
    const all = await listen("#")
    const production = await listen("production.*")
    const counting = countingConnect()
    const notifier = track(
      createNotifier(
        { env: "production", exchange, broker: GUEST, timeoutMs: 3000 },
        { now: () => AT, connect: counting.connect },
      ),
    )
    expect(counting.connections.length, "no connection before the first event").to.equal(0)

    const results = []
    for (const event of LIFECYCLE) results.push(await notifier.notify(event))
    const staging = track(
      createNotifier({ env: "staging", exchange, broker: GUEST, timeoutMs: 3000 }, { now: () => AT }),
    )
    results.push(await staging.notify(STARTED))

    expect(results).to.deep.equal([
      { delivered: true, routingKey: "production.started" },
      { delivered: true, routingKey: "production.succeeded" },
      { delivered: true, routingKey: "production.failed" },
      { delivered: true, routingKey: "production.rolled_back" },
      { delivered: true, routingKey: "staging.started" },
    ])
    expect(counting.connections.length, "one connection for the whole deploy").to.equal(1)
    await until(() => all.length === 5 && production.length === 4)

    expect(all.map((m) => m.fields.routingKey)).to.deep.equal([
      "production.started",
      "production.succeeded",
      "production.failed",
      "production.rolled_back",
      "staging.started",
    ])
    expect(production.map((m) => m.fields.routingKey)).to.deep.equal([
      "production.started",
      "production.succeeded",
      "production.failed",
      "production.rolled_back",
    ])
    LIFECYCLE.forEach((event, i) => {
      const message = production[i]!
      const expected = buildMessage("production", event, AT)
      expect(message.fields.exchange).to.equal(exchange)
      expect(message.content.toString("utf8")).to.equal(expected.content.toString("utf8"))
      expect(JSON.parse(message.content.toString("utf8"))).to.deep.equal({
        ...event,
        env: "production",
        at: "2026-03-01T12:34:56.789Z",
        version: 1,
      })
      expect(message.properties).to.deep.equal({
        contentType: "application/json",
        contentEncoding: "utf-8",
        headers: {},
        deliveryMode: 2,
        priority: undefined,
        correlationId: undefined,
        replyTo: undefined,
        expiration: undefined,
        messageId: `d-42.${event.event}`,
        timestamp: 1772368496,
        type: event.event,
        userId: undefined,
        appId: "deploy-pipeline",
        clusterId: undefined,
      })
    })

    await notifier.close()
    await until(() => counting.closed.length === 1)
  })

  it("declares the exchange as a durable topic exchange", async () => {
    const notifier = track(createNotifier({ env: "production", exchange, broker: GUEST }))
    expect(await notifier.notify(STARTED)).to.deep.equal({ delivered: true, routingKey: "production.started" })
    const probe = await admin.createChannel()
    probe.on("error", () => {})
    let refusal = ""
    await probe.assertExchange(exchange, "topic", { durable: false }).catch((err: Error) => (refusal = err.message))
    expect(refusal).to.equal(
      `Operation failed: ExchangeDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg 'durable' for exchange '${exchange}' in vhost '/': received 'false' but current is 'true'"`,
    )
  })

  it("broker down: delivered false at once, with the warning to record", async () => {
    const port = await closedPort()
    const notifier = track(createNotifier({ env: "production", exchange, broker: { ...GUEST, port }, timeoutMs: 2000 }))
    const started = Date.now()
    expect(await notifier.notify(STARTED)).to.deep.equal({
      delivered: false,
      routingKey: "production.started",
      warning: `notification production.started not delivered: RabbitMQ at amqp://guest@127.0.0.1:${port}/ refused the connection (ECONNREFUSED); the deploy continues without it`,
    })
    expect(Date.now() - started).to.be.below(500)
  })

  it("broker hung before the handshake: delivered false within the timeout", async () => {
    const silent = await silentServer()
    try {
      const notifier = track(
        createNotifier({ env: "production", exchange, broker: { ...GUEST, port: silent.port }, timeoutMs: 300 }),
      )
      const started = Date.now()
      expect(await notifier.notify(STARTED)).to.deep.equal({
        delivered: false,
        routingKey: "production.started",
        warning: `notification production.started not delivered: no answer from RabbitMQ at amqp://guest@127.0.0.1:${silent.port}/ within 300ms while connecting; the deploy continues without it`,
      })
      expect(Date.now() - started).to.be.within(295, 700)
    } finally {
      await silent.close()
    }
  })

  it("broker hung after connecting: no confirm within the timeout, and close() still returns", async () => {
    const proxy = await tcpProxy(5672)
    try {
      const counting = countingConnect()
      const notifier = track(
        createNotifier(
          { env: "production", exchange, broker: { ...GUEST, port: proxy.port }, timeoutMs: 300 },
          { connect: counting.connect },
        ),
      )
      expect((await notifier.notify(STARTED)).delivered).to.equal(true)
      proxy.freeze()
      const started = Date.now()
      expect(await notifier.notify({ ...STARTED, event: "succeeded" })).to.deep.equal({
        delivered: false,
        routingKey: "production.succeeded",
        warning: `notification production.succeeded not delivered: no answer from RabbitMQ at amqp://guest@127.0.0.1:${proxy.port}/ within 300ms while waiting for the publisher confirm; the deploy continues without it`,
      })
      expect(Date.now() - started).to.be.within(295, 700)
      const closing = Date.now()
      await notifier.close()
      expect(Date.now() - closing).to.be.below(1200)
      // amqplib reached its closed state, so its heartbeat timer stopped and nothing keeps the process alive
      expect(counting.closed.length).to.equal(1)
    } finally {
      await proxy.close()
    }
  })

  it("a cut connection is replaced by the next event", async () => {
    const proxy = await tcpProxy(5672)
    try {
      const all = await listen("#")
      const counting = countingConnect()
      const notifier = track(
        createNotifier(
          { env: "production", exchange, broker: { ...GUEST, port: proxy.port }, timeoutMs: 2000 },
          { connect: counting.connect },
        ),
      )
      expect((await notifier.notify(STARTED)).delivered).to.equal(true)
      proxy.cut()
      await until(() => counting.closed.length === 1)
      expect(await notifier.notify({ ...STARTED, event: "failed" })).to.deep.equal({
        delivered: true,
        routingKey: "production.failed",
      })
      expect([counting.connections.length, proxy.opened]).to.deep.equal([2, 2])
      await until(() => all.length === 2)
      expect(all.map((m) => m.fields.routingKey)).to.deep.equal(["production.started", "production.failed"])
    } finally {
      await proxy.close()
    }
  })

  it("a nack (a full queue that rejects publishes) is a warning", async () => {
    await listen("production.*", { "x-max-length": 0, "x-overflow": "reject-publish" })
    const notifier = track(createNotifier({ env: "production", exchange, broker: GUEST, timeoutMs: 2000 }))
    expect(await notifier.notify(STARTED)).to.deep.equal({
      delivered: false,
      routingKey: "production.started",
      warning: `notification production.started not delivered: RabbitMQ at amqp://guest@127.0.0.1:5672/ refused it (nack) on exchange ${exchange}; the deploy continues without it`,
    })
  })

  it("an exchange of another type is a warning that names the stage", async () => {
    await channel.assertExchange(exchange, "fanout", { durable: true })
    const notifier = track(createNotifier({ env: "production", exchange, broker: GUEST, timeoutMs: 2000 }))
    expect(await notifier.notify(STARTED)).to.deep.equal({
      delivered: false,
      routingKey: "production.started",
      warning:
        `notification production.started not delivered: RabbitMQ at amqp://guest@127.0.0.1:5672/ failed while declaring the exchange: ` +
        `Operation failed: ExchangeDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg 'type' for exchange '${exchange}' in vhost '/': received 'topic' but current is 'fanout'"; ` +
        "the deploy continues without it",
    })
  })

  it("after close(), notify() sends nothing and says so", async () => {
    const notifier = createNotifier({ env: "production", exchange, broker: GUEST })
    await notifier.close()
    expect(await notifier.notify(STARTED)).to.deep.equal({
      delivered: false,
      routingKey: "production.started",
      warning:
        "notification production.started not delivered: the notifier was already closed; the deploy continues without it",
    })
  })

  describe("notifierFor (from an environment's config)", () => {
    const config = (enabled: boolean): EnvironmentConfig => {
      const base = shippedEnvironment("development").config
      return {
        ...base,
        notify: { enabled, exchange },
        services: { ...base.services, rabbitmq: { host: "127.0.0.1", port: 5672, vhost: "/", user: "guest" } },
      }
    }

    it("publishes to notify.exchange on services.rabbitmq", async () => {
      const all = await listen("#")
      const notifier = track(notifierFor("development", config(true), "guest", { timeoutMs: 2000 }))
      expect(await notifier.notify(STARTED)).to.deep.equal({ delivered: true, routingKey: "development.started" })
      await until(() => all.length === 1)
    })

    it("sends nothing when notify.enabled is false", async () => {
      await channel.assertExchange(exchange, "topic", { durable: true })
      const notifier = notifierFor("development", config(false), "guest")
      expect(await notifier.notify(STARTED)).to.deep.equal({
        delivered: false,
        routingKey: "development.started",
        warning: "notification development.started not sent: notify.enabled is false for development",
      })
    })
  })
})
