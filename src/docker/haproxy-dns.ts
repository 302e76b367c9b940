/**
 * The swarm driver's proxy as HAProxy. Each colour's web service is a server template whose slots
 * resolve `tasks.<service>` through Docker's embedded DNS (127.0.0.11, re-read every second), so
 * the tasks swarm starts, moves or replaces reach the proxy without a reload. A switch only sets
 * the slots of a colour ready or in maintenance through the runtime API (haproxy.ts's channel):
 * no client connection is closed, as with the compose driver (docs/proxy.md). The same route is
 * written into the config file a restarted proxy starts from (the other colour `disabled`).
 *
 * The live backend holds both colours (one ready); the preview port holds the idle colour. Slot
 * names are the compose driver's (`blue1` … `green50`), so haproxy-state.ts reads both drivers'
 * routes back the same way.
 */
import { COLOURS, type Colour, type ProxyConfig, proxySkeleton } from "./haproxy.js"

/** Which colour each port sends to; null: none (503). */
export interface DnsRoute {
  live: Colour | null
  preview: Colour | null
}

export interface DnsProxyConfig extends ProxyConfig {
  /** Each colour's service, resolved as tasks.<service>. */
  services: Record<Colour, string>
  /** The port the app listens on in its tasks. */
  appPort: number
}

export const NO_DNS_ROUTE: DnsRoute = { live: null, preview: null }

/** Docker's embedded DNS, in every container on a user-defined network. */
export const DOCKER_DNS = "127.0.0.11:53"

const RESOLVERS = [
  "resolvers docker",
  `  nameserver docker ${DOCKER_DNS}`,
  "  accepted_payload_size 8192",
  "  resolve_retries 3",
  "  timeout resolve 1s",
  "  timeout retry 1s",
  "  hold valid 1s",
  "  hold other 1s",
  "  hold refused 1s",
  "  hold nx 1s",
  "  hold timeout 1s",
  "  hold obsolete 1s",
  "",
]

/** The whole haproxy.cfg for a route: both colours' templates in each backend, the ones off the route disabled. */
export function dnsHaproxyConfig(config: DnsProxyConfig, route: DnsRoute = NO_DNS_ROUTE): string {
  const templates = (backend: keyof DnsRoute) =>
    COLOURS.map(
      (colour) =>
        `  server-template ${colour} 1-${config.slots} tasks.${config.services[colour]}:${config.appPort} resolvers docker resolve-prefer ipv4 init-addr none${route[backend] === colour ? "" : " disabled"}`,
    )
  return proxySkeleton(config, { live: templates("live"), preview: templates("preview") }, RESOLVERS)
}

/** The runtime commands that make the running proxy match `route`: the new colours' slots ready first, the others in maintenance last. */
export function dnsRouteCommands(route: DnsRoute, slots: number): string[] {
  const slotsOf = (backend: keyof DnsRoute, colour: Colour) =>
    Array.from({ length: slots }, (_, i) => `${backend}/${colour}${i + 1}`)
  const parts = (["live", "preview"] as const).flatMap((backend) =>
    COLOURS.map((colour) => ({ slots: slotsOf(backend, colour), on: route[backend] === colour })),
  )
  return [
    ...parts.filter((p) => p.on).flatMap((p) => p.slots.map((s) => `set server ${s} state ready`)),
    ...parts.filter((p) => !p.on).flatMap((p) => p.slots.map((s) => `set server ${s} state maint`)),
  ]
}
