/**
 * The swarm driver's proxy as HAProxy. Each colour's web service is a server template whose slots
 * resolve `tasks.<service>` through Docker's embedded DNS (127.0.0.11, re-read every second), so
 * the tasks swarm starts, moves or replaces reach the proxy without a reload. A switch only sets
 * the slots of a colour ready or in maintenance through the runtime API (haproxy.ts's channel):
 * no client connection is closed, as with the compose driver (docs/proxy.md). The same route is
 * written into the config file a restarted proxy starts from (the other colour `disabled`).
 *
 * The live backend holds both colours (one ready) and, as backup servers, both colours again
 * (`fallback-blue1` …): through the watch window the old colour is the fallback, taking what the
 * new one cannot answer, as under the compose driver. The preview port holds the idle colour.
 * The live slots' names are the compose driver's (`blue1` … `green50`), so haproxy-state.ts reads
 * both drivers' live colour back the same way.
 */
import { COLOURS, type Colour, FALLBACK_SERVER, type ProxyConfig, proxySkeleton } from "./haproxy.js"

/** Which colour each port sends to (null: none, 503), and the live port's fallback colour. */
export interface DnsRoute {
  live: Colour | null
  fallback: Colour | null
  preview: Colour | null
}

export interface DnsProxyConfig extends ProxyConfig {
  /** Each colour's service, resolved as tasks.<service>. */
  services: Record<Colour, string>
  /** The port the app listens on in its tasks. */
  appPort: number
}

export const NO_DNS_ROUTE: DnsRoute = { live: null, fallback: null, preview: null }

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

/** Where a part of the route lives: the fallback is the live backend's backup templates, `fallback-<colour>`. */
function templateOf(part: keyof DnsRoute, colour: Colour): { backend: "live" | "preview"; prefix: string } {
  return part === "fallback" ? { backend: "live", prefix: `fallback-${colour}` } : { backend: part, prefix: colour }
}

/** The whole haproxy.cfg for a route: both colours' templates in each backend, the ones off the route disabled. */
export function dnsHaproxyConfig(config: DnsProxyConfig, route: DnsRoute = NO_DNS_ROUTE): string {
  const templates = (part: keyof DnsRoute) =>
    COLOURS.map((colour) => {
      // The fallback resolves the same tasks as its colour's live slots in the same backend, and
      // HAProxy gives an address to only one server of a backend by default: without allow-dup-ip
      // the live slots (declared first) hold every task's address and the fallback slots none.
      const { prefix } = templateOf(part, colour)
      const backup = part === "fallback" ? ` ${FALLBACK_SERVER} resolve-opts allow-dup-ip` : ""
      return `  server-template ${prefix} 1-${config.slots} tasks.${config.services[colour]}:${config.appPort} resolvers docker resolve-prefer ipv4 init-addr none${backup}${route[part] === colour ? "" : " disabled"}`
    })
  return proxySkeleton(
    config,
    { live: [...templates("live"), ...templates("fallback")], preview: templates("preview") },
    RESOLVERS,
  )
}

/** The runtime commands that make the running proxy match `route`: the new colours' slots ready first, the others in maintenance last. */
export function dnsRouteCommands(route: DnsRoute, slots: number): string[] {
  const slotsOf = (part: keyof DnsRoute, colour: Colour) => {
    const { backend, prefix } = templateOf(part, colour)
    return Array.from({ length: slots }, (_, i) => `${backend}/${prefix}${i + 1}`)
  }
  const parts = (["live", "fallback", "preview"] as const).flatMap((part) =>
    COLOURS.map((colour) => ({ slots: slotsOf(part, colour), on: route[part] === colour })),
  )
  return [
    ...parts.filter((p) => p.on).flatMap((p) => p.slots.map((s) => `set server ${s} state ready`)),
    ...parts.filter((p) => !p.on).flatMap((p) => p.slots.map((s) => `set server ${s} state maint`)),
  ]
}
