/**
 * Network fixtures for the probe and notify tests: a loopback port nothing listens on, a server
 * that accepts and never answers, and a check that a required service is up, which fails the
 * suite with the command to start it (these tests never skip).
 */
import net from "node:net"

/** A loopback port that refuses connections: bound, read, released. */
export async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface SilentServer {
  port: number
  /** Connections accepted so far. */
  accepted: number
  close(): Promise<void>
}

/**
 * Accepts connections and never reads, writes or closes them (allowHalfOpen: a client's FIN is
 * not answered), like a hung server. `mode: "end"` closes each connection at once, cleanly.
 */
export async function silentServer(mode: "silent" | "end" = "silent"): Promise<SilentServer> {
  const sockets = new Set<net.Socket>()
  const state = { accepted: 0 }
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    state.accepted++
    sockets.add(socket)
    socket.on("error", () => {})
    if (mode === "end") socket.end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    port,
    get accepted() {
      return state.accepted
    },
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const HOW_TO_START: Record<string, string> = {
  Postgres: "start Postgres on 127.0.0.1:5432 with trust auth for user postgres",
  RabbitMQ: "start RabbitMQ on 127.0.0.1:5672 with user guest/guest",
  Memcached: "apt-get install -y memcached && memcached -d -u nobody -l 127.0.0.1 -p 11211",
}

/** Throws (failing the suite, never skipping it) when nothing accepts connections on the port. */
export async function requireService(name: keyof typeof HOW_TO_START & string, port: number): Promise<void> {
  const reachable = await new Promise<string | true>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port })
    socket.setTimeout(2000, () => {
      socket.destroy()
      resolve("no answer within 2s")
    })
    socket.on("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.on("error", (err) => resolve((err as NodeJS.ErrnoException).code ?? err.message))
  })
  if (reachable !== true) {
    throw new Error(
      `${name} is required by these tests and is not reachable on 127.0.0.1:${port} (${reachable}); ${HOW_TO_START[name]}`,
    )
  }
}

/** `{...result}` without its timing, for exact comparisons of real probe results. */
export function withoutMs<T extends { ms: number }>(result: T): Omit<T, "ms"> {
  const { ms: _ms, ...rest } = result
  return rest
}
