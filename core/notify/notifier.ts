/**
 * Publishes deploy events to RabbitMQ with publisher confirms, and never fails the deploy.
 *
 * One connection per deploy: opened lazily by the first notify(), reused by the next ones, and
 * closed by close() at the end of the deploy (call it in `finally`). If the connection breaks or
 * times out, it is dropped and the next notify() opens a fresh one.
 *
 * notify() resolves { delivered: true } once the broker confirms the message, and otherwise
 * { delivered: false, warning } (connection refused, no answer within timeoutMs, nack, channel
 * error). It never throws and never waits longer than timeoutMs; the caller records the warning.
 */
import type amqp from "amqplib"
import type { EnvironmentConfig } from "../config/schema.js"
import { describeError } from "../health/errno.js"
import { TimeLimitExceeded, withTimeLimit } from "../health/time-limit.js"
import { buildMessage, type DeployEvent, routingKey as keyFor } from "./event.js"
import { formatWarning, type Stage, type Undelivered } from "./warning.js"

export interface BrokerOptions {
  host: string
  port: number
  vhost: string
  user: string
  password: string
}

export interface NotifierOptions {
  env: string
  exchange: string
  broker: BrokerOptions
  /** The most one notify() takes, connecting included (default 5 s). */
  timeoutMs?: number
}

export interface NotifierDeps {
  now?: () => Date
  /** The client factory (default amqplib's connect); tests wrap it to count connections. */
  connect?: Connect
}

export type Connect = (url: amqp.Options.Connect, socketOptions: amqp.SocketOptions) => Promise<amqp.ChannelModel>

export type NotifyResult =
  { delivered: true; routingKey: string } | { delivered: false; routingKey: string; warning: string }

export interface Notifier {
  notify(event: DeployEvent): Promise<NotifyResult>
  /** Closes the connection, if one is open (or still closing); waits at most about a second. */
  close(): Promise<void>
}

export const DEFAULT_NOTIFY_TIMEOUT_MS = 5000

class Nacked extends Error {}

/** One connection and its confirm channel, from connect to close. */
class Link {
  stage: Stage = "connecting"
  dead = false
  private connection?: amqp.ChannelModel
  readonly ready: Promise<amqp.ConfirmChannel>

  constructor(broker: BrokerOptions, exchange: string, timeoutMs: number, connect: Connect) {
    this.ready = this.open(broker, exchange, timeoutMs, connect)
    this.ready.catch(() => {})
  }

  private async open(
    broker: BrokerOptions,
    exchange: string,
    timeoutMs: number,
    connect: Connect,
  ): Promise<amqp.ConfirmChannel> {
    const connection = await connect(
      {
        protocol: "amqp",
        hostname: broker.host,
        port: broker.port,
        vhost: broker.vhost,
        username: broker.user,
        password: broker.password,
      },
      { timeout: Math.max(1, timeoutMs), clientProperties: { connection_name: "deploy-pipeline-notify" } },
    )
    this.connection = connection
    connection.on("error", () => {})
    connection.on("close", () => (this.dead = true))
    if (this.dead) {
      void this.discard()
      throw new Error("discarded")
    }
    this.stage = "opening a channel"
    const channel = await connection.createConfirmChannel()
    channel.on("error", () => {})
    channel.on("close", () => (this.dead = true))
    this.stage = "declaring the exchange"
    await channel.assertExchange(exchange, "topic", { durable: true })
    this.stage = "waiting for the publisher confirm"
    return channel
  }

  /** Close the connection (at most 1 s for the broker's close-ok, then destroy the socket). */
  async discard(): Promise<void> {
    this.dead = true
    const connection = this.connection
    this.connection = undefined
    if (!connection) return
    const stream = (connection.connection as unknown as { stream?: { destroy(error?: Error): void } }).stream
    try {
      await withTimeLimit(1000, connection.close())
    } catch {
      // With an error: a plain destroy() emits no 'error' or 'end', so amqplib never reaches its
      // closed state and its heartbeat timer runs on (for 3 heartbeats, about 3 minutes).
      const closed = new Promise<void>((resolve) => connection.once("close", () => resolve()))
      stream?.destroy(new Error("no close-ok from the broker"))
      await withTimeLimit(200, closed).catch(() => {})
    }
  }
}

export function brokerUrl(broker: Pick<BrokerOptions, "host" | "port" | "vhost" | "user">): string {
  const vhostPath = broker.vhost === "/" ? "/" : `/${encodeURIComponent(broker.vhost)}`
  return `amqp://${broker.user}@${broker.host}:${broker.port}${vhostPath}`
}

export function createNotifier(options: NotifierOptions, deps: NotifierDeps = {}): Notifier {
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS
  const now = deps.now ?? (() => new Date())
  const broker = brokerUrl(options.broker)
  const connect: Connect =
    deps.connect ?? (async (url, socketOptions) => (await import("amqplib")).default.connect(url, socketOptions))
  let link: Link | undefined
  let closed = false

  /** Links being closed in the background; close() waits for them. */
  const discarding = new Set<Promise<void>>()
  const drop = (old: Link) => {
    if (link === old) link = undefined
    const closing = old.discard().finally(() => discarding.delete(closing))
    discarding.add(closing)
  }

  const currentLink = (): Link => {
    if (link?.dead) drop(link)
    link ??= new Link(options.broker, options.exchange, timeoutMs, connect)
    return link
  }

  const send = async (active: Link, message: ReturnType<typeof buildMessage>): Promise<void> => {
    const channel = await active.ready
    await new Promise<void>((resolve, reject) => {
      channel.publish(options.exchange, message.routingKey, message.content, message.options, (err) =>
        err ? reject(new Nacked()) : resolve(),
      )
    })
  }

  return {
    async notify(event) {
      const routingKey = keyFor(options.env, event.event)
      const undelivered = (why: Undelivered): NotifyResult => ({
        delivered: false,
        routingKey,
        warning: formatWarning(routingKey, broker, options.exchange, why),
      })
      if (closed) return undelivered({ kind: "closed" })
      let active: Link | undefined
      try {
        const message = buildMessage(options.env, event, now())
        active = currentLink()
        await withTimeLimit(timeoutMs, send(active, message))
        return { delivered: true, routingKey }
      } catch (err) {
        if (err instanceof Nacked) return undelivered({ kind: "nack" })
        const stage = active?.stage ?? "connecting"
        if (active) drop(active)
        if (err instanceof TimeLimitExceeded) return undelivered({ kind: "timeout", stage, ms: timeoutMs })
        const described = describeError(err)
        if (described.failure === "refused") return undelivered({ kind: "refused", code: "ECONNREFUSED" })
        if (err instanceof Error && err.message === "connect ETIMEDOUT")
          return undelivered({ kind: "timeout", stage, ms: timeoutMs })
        return undelivered({ kind: "error", stage, message: described.error.split("\n")[0] ?? described.error })
      }
    },
    async close() {
      closed = true
      if (link) drop(link)
      await Promise.all(discarding)
    },
  }
}

/**
 * The notifier an environment's config describes (services.rabbitmq, notify.exchange). With
 * notify.enabled false it sends nothing and says so in the warning.
 */
export function notifierFor(
  env: string,
  config: Pick<EnvironmentConfig, "services" | "notify">,
  password: string,
  options: { timeoutMs?: number } = {},
  deps: NotifierDeps = {},
): Notifier {
  if (!config.notify.enabled) {
    return {
      notify: async (event) => {
        const routingKey = keyFor(env, event.event)
        return {
          delivered: false,
          routingKey,
          warning: `notification ${routingKey} not sent: notify.enabled is false for ${env}`,
        }
      },
      close: async () => {},
    }
  }
  const { host, port, vhost, user } = config.services.rabbitmq
  return createNotifier(
    {
      env,
      exchange: config.notify.exchange,
      broker: { host, port, vhost, user, password },
      timeoutMs: options.timeoutMs,
    },
    deps,
  )
}
