/**
 * The compose driver's proxy: HAProxy, switched through its runtime API (core/docker/haproxy.ts),
 * which changes servers in place and never closes a client connection (docs/proxy.md). A route
 * names containers; the proxy dials addresses, so each is read on the project network first
 * (`docker container inspect`), and the live route read back from the proxy is mapped to the
 * containers holding those addresses: the proxy, not the ledger, says what is live.
 *
 * Slots: MAX_REPLICAS per colour (the most runtime.replicas or `scale` allow), so every route
 * fits a proxy made under any config, and a proxy never has to be recreated when replicas change.
 * A whole-state switch is then about 300 runtime commands on one line (measured: about 0.15 s).
 */
import { MAX_REPLICAS } from "../config/schema.js"
import { IMAGES } from "../constants.js"
import { type ContainerAddress, containerAddresses, parseContainerAddresses } from "../docker/addresses.js"
import {
  COLOURS,
  CONFIG_ENV,
  type Colour,
  type ProxyConfig,
  type ReleaseRoute,
  type Route,
  haproxyConfig,
  proxyCommand,
  routeCommands,
} from "../docker/haproxy.js"
import {
  inFlightTo,
  parseServersState,
  parseSessions,
  proxyState,
  readProxyState,
  readSessions,
} from "../docker/haproxy-state.js"
import type { Timing } from "../time/clock.js"
import type { DockerHost, ProxyStart } from "./docker-host.js"
import { applyRoute } from "./haproxy-runtime.js"
import { DeployError } from "./errors.js"
import { LABEL } from "./names.js"

export const PROXY_SETTINGS: ProxyConfig = {
  slots: MAX_REPLICAS,
  /** A dial that takes longer fails and is retried on another server (the fallback). */
  connectTimeoutMs: 1_000,
  /** The longest a request may wait for its response. */
  serverTimeoutMs: 60_000,
}

/** How often a drain asks the proxy what is still in flight. */
const DRAIN_POLL_MS = 100

export class HaproxyRoute {
  constructor(private readonly host: DockerHost) {}

  /** A new proxy starts with no release live (503) until the first switch writes its route. */
  readonly start: ProxyStart = {
    defaultImage: IMAGES.haproxy,
    command: proxyCommand(),
    env: { [CONFIG_ENV]: haproxyConfig(PROXY_SETTINGS) },
  }

  /** Name, state, colour label and address on the project network of each container (those docker no longer knows are left out). */
  async addresses(names: readonly string[]): Promise<ContainerAddress[]> {
    if (names.length === 0) return []
    const result = await this.host.run(containerAddresses(this.host.names.network, LABEL.colour, names))
    return parseContainerAddresses(result.stdout)
  }

  /**
   * Live traffic to `live`; `fallback` (the release that served before, still running) in the live
   * backend's backup slots, taking every request `live` cannot answer, and on the preview port.
   * Applied through the runtime API, then written to the config file a restarted proxy starts from.
   */
  async apply(live: readonly string[], fallback: readonly string[]): Promise<void> {
    const found = await this.addresses([...live, ...fallback])
    const previous = this.releaseRoute(fallback, found)
    // The fallback stays reachable on the preview port (127.0.0.1) while it runs, for checks.
    const route: Route = { live: this.releaseRoute(live, found), fallback: previous, preview: previous }
    await applyRoute(
      this.host,
      routeCommands(route, PROXY_SETTINGS.slots),
      haproxyConfig(PROXY_SETTINGS, route),
      describe(route),
    )
  }

  /** The addresses the running proxy's live route dials (its ready live slots); none when there is no proxy. */
  async liveAddresses(): Promise<ReadonlySet<string>> {
    const result = await this.host.run(readProxyState(this.host.names.proxy))
    if (result.exitCode !== 0) return new Set()
    const live = proxyState(parseServersState(result.stdout)).route.live
    return new Set((live?.upstreams ?? []).map((u) => u.address))
  }

  /**
   * Waits until the proxy has no request in flight to the containers `names` (out of the route,
   * about to stop), polling its runtime API, for at most the proxy's server timeout: no request can
   * outlive it. A container stopped with requests in flight drops them, and HAProxy answers a
   * request on a kept-open client connection whose server vanished by closing that connection,
   * which a client that does not retry sees as a reset. Returns how many were still in flight (0
   * when drained, or when there is no proxy to ask).
   */
  async drain(names: readonly string[], timing: Timing): Promise<number> {
    const addresses = new Set((await this.addresses(names)).map((c) => c.address).filter(Boolean))
    if (addresses.size === 0) return 0
    const deadline = timing.clock.now() + PROXY_SETTINGS.serverTimeoutMs
    for (;;) {
      const read = await this.host.run(readSessions(this.host.names.proxy))
      const inFlight = read.exitCode === 0 ? inFlightTo(parseSessions(read.stdout), addresses) : 0
      if (inFlight === 0 || timing.clock.now() >= deadline) return inFlight
      await timing.sleep(DRAIN_POLL_MS)
    }
  }

  /** One release's part of a route: its containers' addresses at the app port, in the colour of its label. */
  private releaseRoute(names: readonly string[], found: readonly ContainerAddress[]): ReleaseRoute | null {
    if (names.length === 0) return null
    const containers = names.map((name) => {
      const container = found.find((c) => c.name === name)
      if (!container?.address) {
        const why = container ? `it is ${container.state}` : "docker does not know it"
        throw new DeployError(
          "switch",
          `cannot route to ${name}: it has no address on ${this.host.names.network} (${why}); nothing was changed on the proxy. Start it, or deploy again`,
        )
      }
      return container
    })
    const colour = containers[0]!.label
    if (!isColour(colour))
      throw new DeployError(
        "switch",
        `cannot route to ${names[0]}: its label ${LABEL.colour} is "${colour}", not blue or green; it was not started by this driver`,
      )
    return { colour, upstreams: containers.map((c) => ({ address: c.address, port: this.host.config.app.port })) }
  }
}

const isColour = (value: string): value is Colour => (COLOURS as readonly string[]).includes(value)

const describe = (route: Route): string =>
  [
    route.live && `live ${route.live.colour} (${route.live.upstreams.map((u) => u.address).join(", ")})`,
    route.fallback && `fallback ${route.fallback.colour}`,
  ]
    .filter(Boolean)
    .join(", ")
