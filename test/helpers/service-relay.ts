/**
 * Makes this machine's Postgres, Memcached and RabbitMQ reachable from containers, for specs that
 * run a real app in them. The services listen on 127.0.0.1 only, and a container's 127.0.0.1 is
 * its own. So each gets a TCP relay in this process, listening on the default bridge's gateway
 * address (docker0, 172.17.0.1 by default): an address of this host that containers on any bridge
 * network, the deploy's project network too, reach through their own gateway. The relay forwards
 * to 127.0.0.1, so the services see a local client (Postgres's trust rule for 127.0.0.1 applies).
 * With `containersOnly`, a relay closes every connection from this host itself (from any address
 * of its interfaces: a connection to the gateway may come from the host's main address), so its
 * address is one only containers can use, as a network alias or a private network would be; a
 * spec then proves the deployer reaches each service at an address of its own
 * (services.<name>.deployer).
 * The relays live as long as the spec: close() ends them and every connection through them. They
 * run on this process's event loop, so while the app must answer, a spec waits asynchronously
 * (execFile, not execFileSync): a blocked loop stalls the app's database, cache and queue.
 */
import { execFileSync } from "node:child_process"
import net from "node:net"
import { networkInterfaces } from "node:os"

export interface RelayedService {
  /** Where the service listens on this host. */
  port: number
  /** Where containers reach it: the relay's port on `host`. */
  relayPort: number
}

export interface ServiceRelay {
  /** The address containers use: the default bridge's gateway. */
  host: string
  services: Record<string, RelayedService>
  close(): Promise<void>
}

/**
 * The default bridge's gateway: the engine's IPAM gateway when it reports one; else the first
 * address of its subnet, which the engine gives the bridge's interface (docker0) unless its daemon
 * sets another `bip` (then listening there fails, saying so).
 */
export function bridgeGateway(): string {
  const [gateway = "", subnet = ""] = execFileSync(
    "docker",
    ["network", "inspect", "bridge", "--format", "{{range .IPAM.Config}}{{.Gateway}}|{{.Subnet}}{{end}}"],
    { encoding: "utf8" },
  )
    .trim()
    .split("|")
  if (IPV4.test(gateway)) return gateway
  const network = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.)(\d{1,3})\/(\d{1,2})$/.exec(subnet)
  if (!network || Number(network[3]) > 30)
    throw new Error(
      `the default bridge network has no IPv4 gateway or subnet (docker network inspect bridge said ${JSON.stringify(`${gateway}|${subnet}`)}); containers cannot reach this host's services through it`,
    )
  return `${network[1]}${Number(network[2]) + 1}`
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

export interface RelayOptions {
  /** Close connections from this host (any address of its interfaces, the gateway's, loopback): only containers get through. */
  containersOnly?: boolean
}

/** One relay per service (name → local port), on the bridge's gateway at ports the system picks. */
export async function relayServices(ports: Record<string, number>, options: RelayOptions = {}): Promise<ServiceRelay> {
  const host = bridgeGateway()
  const own = new Set([
    host,
    ...Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).map((a) => a.address)),
  ])
  const servers: net.Server[] = []
  const sockets = new Set<net.Socket>()
  const services: Record<string, RelayedService> = {}
  for (const [name, port] of Object.entries(ports)) {
    const server = net.createServer((client) => {
      const from = (client.remoteAddress ?? "").replace(/^::ffff:/, "")
      if (options.containersOnly && (own.has(from) || from.startsWith("127."))) {
        client.destroy()
        return
      }
      const upstream = net.connect(port, "127.0.0.1")
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
        socket.on("error", () => (socket === client ? upstream : client).destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err) =>
        reject(
          new Error(`cannot listen on ${host}, the Docker bridge's gateway, for the ${name} relay: ${err.message}`),
        ),
      )
      server.listen(0, host, () => resolve())
    })
    servers.push(server)
    services[name] = { port, relayPort: (server.address() as net.AddressInfo).port }
  }
  return {
    host,
    services,
    async close() {
      for (const socket of sockets) socket.destroy()
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
    },
  }
}
