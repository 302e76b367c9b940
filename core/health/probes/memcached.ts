/**
 * Memcached readiness: a set/get round-trip of a unique key (memjs 1.3 has no `version`
 * command), which also proves the cache accepts writes.
 *
 * memjs quirks this file works around (read from memjs 1.3.2's lib/memjs):
 * - On a response timeout it calls socket.end(), not destroy(), and forgets the socket. Against
 *   a server that accepts but never answers, the half-closed socket keeps the process alive
 *   forever. We wrap each memjs Server's sock() to track every socket it opens, and destroy them
 *   all when the attempt ends.
 * - If the server closes the connection without an error, pending callbacks are never called:
 *   the promise neither resolves nor rejects. A hard time limit covers the attempt.
 * - `retries` counts attempts (2 by default, 0 and 1 both mean one), with a 200 ms timer
 *   between them, and `failover` parks a failed server for 60 s. Retrying is the caller's job
 *   (retry.ts with a backoff schedule), so: retries 1, failover off.
 * - Failures are logged to console unless a logger is given; we pass a silent one.
 * - Servers take SASL credentials from MEMCACHIER_USERNAME/MEMCACHE_USERNAME (and PASSWORD) in
 *   the environment when none are given, so a stray variable would change the probe. We build
 *   the Server ourselves and set the credentials explicitly (none, unless passed).
 * - Timeouts are in seconds (floats), and the connect timeout defaults to twice the request's.
 *   On a connect timeout memjs also only end()s the connecting socket (tracked, so destroyed).
 */
import type { Socket } from "node:net"
import { randomUUID } from "node:crypto"
import type memjs from "memjs"
import { describeError } from "../errno.js"
import type { Probe, ProbeResult } from "../result.js"
import { withTimeLimit } from "../time-limit.js"

export interface MemcachedProbeOptions {
  host: string
  port: number
  /** SASL, only when the cache requires it. */
  username?: string
  password?: string
}

const SILENT = { log: () => {} }

export function memcachedProbe(options: MemcachedProbeOptions): Probe {
  const target = `memcached://${options.host}:${options.port}`
  return async ({ timeoutMs }) => {
    // Loaded on first use, before the clock starts.
    const { default: memjsModule } = await import("memjs")
    const started = performance.now()
    const done = (result: Omit<ProbeResult, "target" | "ms">): ProbeResult => ({
      target,
      ms: Math.round(performance.now() - started),
      ...result,
    })
    // memjs's own timeouts are a backstop at twice ours, so the hard limit always speaks first.
    const seconds = Math.max(0.002, (2 * timeoutMs) / 1000)
    const server = new memjsModule.Server(options.host, options.port, undefined, undefined, {
      timeout: seconds,
      conntimeout: seconds,
      keepAlive: false,
    })
    Object.assign(server, { username: options.username, password: options.password })
    const sockets = trackSockets(server)
    const client = new memjsModule.Client([server], { retries: 1, failover: false, logger: SILENT })
    const key = `deploy-pipeline:health:${randomUUID()}`
    const value = String(Date.now())
    try {
      const read = await withTimeLimit(
        timeoutMs,
        (async () => {
          await client.set(key, value, { expires: 60 })
          const got = await client.get(key)
          await client.delete(key)
          return got.value?.toString("utf8")
        })(),
      )
      if (read !== value)
        return done({
          ok: false,
          failure: "error",
          error: `wrote ${JSON.stringify(value)} but read back ${JSON.stringify(read ?? null)}`,
        })
      return done({ ok: true })
    } catch (err) {
      return done({ ok: false, ...describeMemjsError(err) })
    } finally {
      client.close()
      for (const socket of sockets) socket.destroy()
    }
  }
}

/** Records every socket a memjs Server opens, so none outlives the attempt. */
function trackSockets(server: memjs.Server): Set<Socket> {
  const sockets = new Set<Socket>()
  const original = server.sock.bind(server)
  server.sock = (sasl, go) => {
    original(sasl, go)
    const socket = (server as unknown as { _socket?: Socket })._socket
    if (socket) sockets.add(socket)
  }
  return sockets
}

/** memjs words its own timeouts; the rest are socket errors. */
export function describeMemjsError(err: unknown): Omit<ProbeResult, "target" | "ms" | "ok"> {
  const message = err instanceof Error ? err.message : String(err)
  if (message === "socket timed out waiting on response." || message === "socket timed out connecting to server.") {
    return { failure: "timeout", error: message.replace(/^socket timed out /, "timed out ").replace(/\.$/, "") }
  }
  if (/authentication failed/i.test(message)) return { failure: "auth", error: message }
  return describeError(err)
}
