/**
 * A TCP proxy in front of the real RabbitMQ, so the notify tests can break a working connection
 * in the two ways brokers break: cut (connections reset) and freeze (bytes stop flowing, nothing
 * closes), and check that the notifier neither throws nor hangs.
 */
import net from "node:net"

export interface Proxy {
  port: number
  /** Connections opened through the proxy so far. */
  readonly opened: number
  /** Stop forwarding in both directions, leaving every connection open. */
  freeze(): void
  /** Reset every open connection; new ones are still accepted. */
  cut(): void
  close(): Promise<void>
}

export async function tcpProxy(targetPort: number): Promise<Proxy> {
  const pairs = new Set<[net.Socket, net.Socket]>()
  const state = { opened: 0, frozen: false }
  const server = net.createServer((client) => {
    state.opened++
    const upstream = net.connect({ host: "127.0.0.1", port: targetPort })
    const pair: [net.Socket, net.Socket] = [client, upstream]
    pairs.add(pair)
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on("data", (chunk) => {
        if (!state.frozen) to.write(chunk)
      })
    forward(client, upstream)
    forward(upstream, client)
    for (const socket of pair) {
      socket.on("error", () => {})
      socket.on("close", () => {
        pairs.delete(pair)
        client.destroy()
        upstream.destroy()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as net.AddressInfo
  const destroyAll = () => {
    for (const [a, b] of pairs) {
      a.destroy()
      b.destroy()
    }
  }
  return {
    port,
    get opened() {
      return state.opened
    },
    freeze: () => void (state.frozen = true),
    cut: destroyAll,
    close: async () => {
      destroyAll()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
