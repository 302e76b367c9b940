/**
 * RabbitMQ readiness: connect, open a channel, close both. The AMQP handshake and a channel
 * prove more than an open port (a broker that is booting, or out of disk/memory alarms, accepts
 * TCP first). amqplib's `timeout` socket option is an inactivity timeout for the handshake;
 * a hard time limit covers the whole attempt, and a connection that arrives after it is closed
 * (or destroyed, if closing hangs) so nothing outlives the attempt.
 */
import type amqp from "amqplib"
import { describeError } from "../errno.js"
import type { Probe, ProbeResult } from "../result.js"
import { withTimeLimit } from "../time-limit.js"

export interface RabbitmqProbeOptions {
  host: string
  port: number
  vhost: string
  user: string
  password: string
}

export function rabbitmqProbe(options: RabbitmqProbeOptions): Probe {
  const vhostPath = options.vhost === "/" ? "/" : `/${encodeURIComponent(options.vhost)}`
  const target = `amqp://${options.user}@${options.host}:${options.port}${vhostPath}`
  return async ({ timeoutMs }) => {
    // Loaded on first use, before the clock starts.
    const { default: amqpModule } = await import("amqplib")
    const started = performance.now()
    const done = (result: Omit<ProbeResult, "target" | "ms">): ProbeResult => ({
      target,
      ms: Math.round(performance.now() - started),
      ...result,
    })
    const connecting = amqpModule.connect(
      {
        protocol: "amqp",
        hostname: options.host,
        port: options.port,
        vhost: options.vhost,
        username: options.user,
        password: options.password,
        heartbeat: 0,
      },
      { timeout: Math.max(1, 2 * timeoutMs), clientProperties: { connection_name: "deploy-pipeline-health" } },
    )
    try {
      await withTimeLimit(
        timeoutMs,
        (async () => {
          const connection = await connecting
          connection.on("error", () => {})
          const channel = await connection.createChannel()
          channel.on("error", () => {})
          await channel.close()
        })(),
      )
      return done({ ok: true })
    } catch (err) {
      return done({ ok: false, ...describeAmqpError(err, options.vhost) })
    } finally {
      // Whether it arrived in time or later, the connection is closed; never awaited past 1s.
      connecting.then(
        (late) => dispose(late),
        () => {},
      )
    }
  }
}

/** Close a connection; if the broker does not answer the close within 1 s, destroy the socket. */
export async function dispose(connection: amqp.ChannelModel): Promise<void> {
  connection.on("error", () => {})
  const stream = (connection.connection as unknown as { stream?: { destroy(error?: Error): void } }).stream
  try {
    await withTimeLimit(1000, connection.close())
  } catch {
    // With an error: a plain destroy() emits no 'error' or 'end', so amqplib never reaches its
    // closed state and its heartbeat timer runs on (for 3 heartbeats, about 3 minutes).
    stream?.destroy(new Error("no close-ok from the broker"))
  }
}

/**
 * amqplib's handshake refusals are plain Errors; match their text. When the broker refuses the
 * vhost, amqplib drops the broker's reason and says only "Expected ConnectionOpenOk; got
 * <ConnectionClose channel:0>", so that one is reworded.
 */
export function describeAmqpError(err: unknown, vhost: string): Omit<ProbeResult, "target" | "ms" | "ok"> {
  const message = err instanceof Error ? err.message : String(err)
  if (/ACCESS_REFUSED|Handshake terminated by server: 403/.test(message))
    return { failure: "auth", error: firstLine(message) }
  if (message.startsWith("Expected ConnectionOpenOk; got <ConnectionClose")) {
    return {
      failure: "auth",
      error: `the broker refused to open vhost ${JSON.stringify(vhost)}: it does not exist, or the user has no access to it`,
    }
  }
  if (message === "connect ETIMEDOUT") return { failure: "timeout", error: "the AMQP handshake timed out" }
  return describeError(err)
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text
}
