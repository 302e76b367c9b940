/**
 * The swarm driver's proxy: HAProxy on the project's overlay network, each colour a server template
 * resolving `tasks.<service>` through Docker's DNS (core/docker/haproxy-dns.ts), switched through
 * its runtime API like the compose driver's (haproxy-runtime.ts): no reload, no client connection
 * closed. The live colour is read back from the proxy (`show servers state`), never the ledger.
 */
import { MAX_REPLICAS } from "../config/schema.js"
import { IMAGES } from "../constants.js"
import { CONFIG_ENV, type Colour, proxyCommand } from "../docker/haproxy.js"
import { type DnsProxyConfig, type DnsRoute, dnsHaproxyConfig, dnsRouteCommands } from "../docker/haproxy-dns.js"
import { parseServersState, proxyState, readProxyState } from "../docker/haproxy-state.js"
import type { DockerHost, ProxyStart } from "./docker-host.js"
import { PROXY_SETTINGS } from "./haproxy-route.js"
import { applyRoute } from "./haproxy-runtime.js"

export class SwarmProxy {
  private readonly settings: DnsProxyConfig

  constructor(
    private readonly host: DockerHost,
    services: Record<Colour, string>,
  ) {
    this.settings = { ...PROXY_SETTINGS, slots: MAX_REPLICAS, services, appPort: host.config.app.port }
  }

  /** A new proxy starts with no colour live (503) until the first switch writes its route. */
  get start(): ProxyStart {
    return {
      defaultImage: IMAGES.haproxy,
      command: proxyCommand(),
      env: { [CONFIG_ENV]: dnsHaproxyConfig(this.settings) },
    }
  }

  /** The colour the running proxy's live port sends to; null when there is no proxy or no live colour. */
  async liveColour(): Promise<Colour | null> {
    const result = await this.host.run(readProxyState(this.host.names.proxy))
    if (result.exitCode !== 0) return null
    return proxyState(parseServersState(result.stdout)).route.live?.colour ?? null
  }

  /** Live traffic to one colour, the preview port to another (or none), then saved for a restart. */
  apply(route: DnsRoute): Promise<void> {
    const described = `live ${route.live ?? "none"}${route.fallback ? `, fallback ${route.fallback}` : ""}${route.preview ? `, preview ${route.preview}` : ""}`
    return applyRoute(
      this.host,
      dnsRouteCommands(route, this.settings.slots),
      dnsHaproxyConfig(this.settings, route),
      described,
    )
  }
}
