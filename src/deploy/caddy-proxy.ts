/**
 * The swarm driver's proxy: Caddy, dialling a colour's `tasks.<service>` by DNS, switched by a
 * whole-config `caddy reload` run inside the proxy container (src/docker/caddy.ts). A reload
 * closes idle kept-open client connections (docs/proxy.md); the compose driver has moved to
 * HAProxy's runtime API (haproxy-route.ts), the swarm driver has not yet.
 */
import { IMAGES } from "../constants.js"
import {
  CONFIG_ENV,
  type Upstreams,
  caddyCommand,
  caddyConfig,
  parseLiveUpstreams,
  readLiveUpstreams,
  reloadProxy,
} from "../docker/caddy.js"
import type { DockerHost, ProxyStart } from "./docker-host.js"

export class CaddyProxy {
  constructor(private readonly host: DockerHost) {}

  /** The Caddy container resumes the config it last loaded. */
  readonly start: ProxyStart = { defaultImage: IMAGES.caddy, command: caddyCommand(), env: {} }

  /** The host names the proxy's live route dials; none when there is no proxy or no live release. */
  async liveUpstreams(): Promise<ReadonlySet<string>> {
    const { executor, names, config } = this.host
    const result = await executor.run(readLiveUpstreams(names.proxy, config.deploy.proxy.admin_port))
    return new Set(result.exitCode === 0 ? parseLiveUpstreams(result.stdout) : [])
  }

  /** Loads a whole Caddy config: live traffic to `live`, the preview port to `preview`. */
  async reloadRoutes(live: Upstreams, preview: Upstreams): Promise<void> {
    const { proxy } = this.host.config.deploy
    const config = JSON.stringify(caddyConfig({ adminPort: proxy.admin_port, live, preview }))
    await this.host.must(
      "switch",
      "the proxy refused the new routes",
      reloadProxy(this.host.names.proxy, proxy.admin_port),
      { env: { [CONFIG_ENV]: config } },
    )
  }
}
