/**
 * The blue-green proxy as HAProxy, switched through its runtime API instead of a config reload.
 *
 * Why not Caddy: every Caddy config change, through the admin API too, is a reload that closes
 * the idle kept-open client connections, so a client that does not retry loses a request now and
 * then (measured: 39 resets over 20 switches). HAProxy's runtime API changes a server's address
 * and state in place: the client connections to the proxy are never touched (measured: 0 failed
 * of 13,992 over 20 switches). See docs/proxy.md for the measurements.
 *
 * The config is static and says only how many replicas a colour may have. Each backend holds a
 * slot per colour and replica (`blue1`, `green1`, …) that starts in maintenance with no address;
 * a route is the whole desired state of those slots, applied as runtime commands:
 *   - `live`: the slots of the serving colour, one per replica, ready;
 *   - `fallback`: the previous release in the live backend's backup slots (`blue1-fallback`, …),
 *     used only when every live slot is down. Passive health (`observe layer4`, `error-limit 3`,
 *     `on-error mark-down`) takes a live slot down at its third refused or reset connection in a
 *     row, and `retry-on` with `redispatch` retries the request that met them (`retriesFor`: until
 *     every live slot could be down, then once more), the last time on the fallback, so a release
 *     that dies after the switch costs no request. (At the first error
 *     it also ejected a live release that reset one connection under load, a 503 for a second
 *     when no fallback stands behind it; checking faster instead let a retried request run out
 *     of retries before the slot went down.) The fallback slots observe nothing (only their checks
 *     take them down): as the last resort, one connection they refuse under the redispatched
 *     load must not leave the backend with no server;
 *   - `preview`: the idle release on the preview port, for checks before a switch.
 * New slots are made ready before old ones go to maintenance, so there is never an instant with
 * no server. Each change also rewrites the config file the proxy starts from, so a restarted proxy
 * serves the same route.
 */
import { exec } from "./argv.js"

export const LIVE_PORT = 80
export const PREVIEW_PORT = 81
/** The runtime API listens on the proxy container's loopback only and is never published. */
export const RUNTIME_API_PORT = 9999
/** The config a (re)started proxy reads: the last route applied, written by every switch. */
export const CONFIG_FILE = "/var/lib/haproxy/deploy-pipeline.cfg"
export const CONFIG_ENV = "HAPROXY_CONFIG"
export const COMMANDS_ENV = "HAPROXY_COMMANDS"

export const COLOURS = ["blue", "green"] as const
export type Colour = (typeof COLOURS)[number]

/** A replica as the proxy dials it: its address on the project network and the app port. */
export interface Upstream {
  address: string
  port: number
}

export interface ReleaseRoute {
  colour: Colour
  upstreams: readonly Upstream[]
}

export interface Route {
  /** Null: no release is live, the live port answers 503. */
  live: ReleaseRoute | null
  fallback: ReleaseRoute | null
  preview: ReleaseRoute | null
}

export interface ProxyConfig {
  /** Slots per colour: the most replicas a release may have. */
  slots: number
  /** How long a dial may take before it counts as failed and is retried elsewhere. */
  connectTimeoutMs: number
  /** Longest a request may wait for its response (the app's slowest page). */
  serverTimeoutMs: number
}

/**
 * How both drivers declare the fallback's servers: backups (used only when every live slot is
 * down), and the last resort, so no passive ejection (a busy fallback that refused one
 * redispatched connection was taken down, leaving no server: 503s); their checks still apply.
 */
export const FALLBACK_SERVER = "backup observe none"

/** Consecutive refused or reset connections that take a live slot out of the route (passive health). */
export const ERROR_LIMIT = 3

/**
 * How many times a request whose connection fails is tried again: until every live slot has met
 * its error limit, and once more, on the fallback. Redispatched attempts alternate between the
 * slots, so a request may meet each dead slot ERROR_LIMIT times before the last one is ejected;
 * with fewer retries it ran out while one slot was still up (measured under swarm: 1-2 of about
 * 2,500 requests, 4 attempts each within a millisecond, when two replicas died at once). An
 * attempt on a slot already ejected is not made, so the bound costs nothing while slots answer.
 */
export function retriesFor(slots: number): number {
  return ERROR_LIMIT * slots + 1
}

const NO_LIVE = "no release is live yet"
const NO_PREVIEW = "no release is waiting"

function slotNames(slots: number): string[] {
  return COLOURS.flatMap((colour) => Array.from({ length: slots }, (_, i) => `${colour}${i + 1}`))
}

/** Each slot's upstream in a route, keyed "backend/server"; slots not in it are idle. */
function assignments(route: Route, slots: number): Map<string, Upstream> {
  const assigned = new Map<string, Upstream>()
  const assign = (backend: string, suffix: string, release: ReleaseRoute | null) => {
    if (!release) return
    if (release.upstreams.length > slots) {
      throw new RangeError(`${release.upstreams.length} replicas do not fit the proxy's ${slots} slots per colour`)
    }
    release.upstreams.forEach((upstream, i) => assigned.set(`${backend}/${release.colour}${i + 1}${suffix}`, upstream))
  }
  assign("live", "", route.live)
  assign("live", "-fallback", route.fallback)
  assign("preview", "", route.preview)
  return assigned
}

/** Every server, live slots, live fallback slots, then preview slots, as "backend/server". */
function allServers(slots: number): string[] {
  const names = slotNames(slots)
  return [
    ...names.map((n) => `live/${n}`),
    ...names.map((n) => `live/${n}-fallback`),
    ...names.map((n) => `preview/${n}`),
  ]
}

export const NO_ROUTE: Route = { live: null, fallback: null, preview: null }

/**
 * The whole haproxy.cfg for a route: each slot of the route with its address, every other slot
 * disabled. A switch changes the running proxy through the runtime API and writes this file
 * beside it, so a restarted proxy comes back serving the same route without a deployer.
 */
export function haproxyConfig(config: ProxyConfig, route: Route = NO_ROUTE): string {
  const assigned = assignments(route, config.slots)
  const server = (key: string) => {
    const name = key.slice(key.indexOf("/") + 1)
    const upstream = assigned.get(key)
    const backup = name.endsWith("-fallback") ? ` ${FALLBACK_SERVER}` : ""
    return upstream
      ? `  server ${name} ${upstream.address}:${upstream.port}${backup}`
      : `  server ${name} 127.0.0.1:1 disabled${backup}`
  }
  const servers = allServers(config.slots)
  return proxySkeleton(config, {
    live: servers.filter((key) => key.startsWith("live/")).map(server),
    preview: servers.filter((key) => key.startsWith("preview/")).map(server),
  })
}

/**
 * The config both drivers' proxies share, around their servers: the runtime API, the timeouts,
 * retries and passive health, the live and preview ports, and each backend's 503 when it has no
 * server. `before` goes between the global section and the defaults (the swarm proxy's resolvers).
 */
export function proxySkeleton(
  config: ProxyConfig,
  servers: { live: readonly string[]; preview: readonly string[] },
  before: readonly string[] = [],
): string {
  return [
    "global",
    `  stats socket ipv4@127.0.0.1:${RUNTIME_API_PORT} level admin`,
    "  stats timeout 10s",
    "",
    ...before,
    "defaults",
    "  mode http",
    "  option forwardfor",
    `  timeout connect ${config.connectTimeoutMs}ms`,
    "  timeout client 60s",
    `  timeout server ${config.serverTimeoutMs}ms`,
    "  timeout http-keep-alive 60s",
    `  retries ${retriesFor(config.slots)}`,
    "  retry-on conn-failure empty-response",
    "  option redispatch 1",
    `  default-server check inter 1s fall 1 rise 1 observe layer4 error-limit ${ERROR_LIMIT} on-error mark-down`,
    "",
    "frontend live",
    `  bind :${LIVE_PORT}`,
    "  default_backend live",
    "",
    "frontend preview",
    `  bind :${PREVIEW_PORT}`,
    "  default_backend preview",
    "",
    "backend live",
    `  http-request return status 503 content-type text/plain string "${NO_LIVE}" if { nbsrv(live) eq 0 }`,
    ...servers.live,
    "",
    "backend preview",
    `  http-request return status 503 content-type text/plain string "${NO_PREVIEW}" if { nbsrv(preview) eq 0 }`,
    ...servers.preview,
    "",
  ].join("\n")
}

/**
 * The runtime commands that make the running proxy match `route`: a slot's address is changed
 * while it is idle, then it is made ready (a slot leaving maintenance counts as up at once);
 * the slots that leave the route go to maintenance last, so there is never an instant with no
 * server.
 */
export function routeCommands(route: Route, slots: number): string[] {
  const assigned = assignments(route, slots)
  const ready = [...assigned].flatMap(([server, upstream]) => [
    `set server ${server} addr ${upstream.address} port ${upstream.port}`,
    `set server ${server} state ready`,
  ])
  const idle = allServers(slots)
    .filter((server) => !assigned.has(server))
    .map((server) => `set server ${server} state maint`)
  return [...ready, ...idle]
}

/**
 * Sends runtime commands to the API on the proxy's loopback (busybox or netcat `nc`), one
 * connection per line of commandLines(). They arrive in an environment variable set by the
 * executor, so nothing is quoted into argv. What HAProxy answered is printed for
 * parseRuntimeReply; exit 2: the runtime API did not answer, or not to every line.
 */
export function runtimeCommands(proxy: string): string[] {
  const send = `while IFS= read -r line; do printf '%s\\n' "$line" | nc 127.0.0.1 ${RUNTIME_API_PORT} || exit 2; done`
  const script = `reply="$(printf '%s\\n' "$${COMMANDS_ENV}" | ${send})" || exit 2\nprintf '%s\\n' "$reply"`
  return exec(proxy, ["sh", "-c", script], [COMMANDS_ENV])
}

/** Replaces the config file a restarted proxy starts from (after the runtime API took the same route). */
export function saveConfig(proxy: string): string[] {
  return exec(
    proxy,
    ["sh", "-c", `printf '%s' "$${CONFIG_ENV}" > ${CONFIG_FILE}.new && mv ${CONFIG_FILE}.new ${CONFIG_FILE}`],
    [CONFIG_ENV],
  )
}

/** The proxy container's command: the config file of the last route, or the one given at creation when there is none yet. */
export function proxyCommand(): string[] {
  return [
    "sh",
    "-c",
    `[ -s ${CONFIG_FILE} ] || printf '%s' "$${CONFIG_ENV}" > ${CONFIG_FILE}; exec haproxy -W -db -f ${CONFIG_FILE}`,
  ]
}

/**
 * The longest line sent on one runtime-API connection. A line must reach HAProxy in one write:
 * nc copies its input in chunks of its stdio buffer (1 KiB under musl, 8 KiB under glibc), and
 * HAProxy took only part of a longer line's commands, silently, about one switch in ten (measured
 * with 12 KB lines on HAProxy 2.6 and Debian's busybox nc).
 */
export const RUNTIME_LINE_LIMIT = 1000

/** The commands in order, joined "; " into lines of at most `limit` characters (a longer command stands alone). */
export function commandLines(commands: readonly string[], limit = RUNTIME_LINE_LIMIT): string {
  const lines: string[] = []
  for (const command of commands) {
    const last = lines.at(-1)
    if (last !== undefined && last.length + 2 + command.length <= limit) lines[lines.length - 1] = `${last}; ${command}`
    else lines.push(command)
  }
  return lines.join("\n")
}

const ADDRESS_CHANGED =
  /^(IP changed from '[^']*' to '[^']*'|no need to change the addr)(, (port changed from '[^']*' to '[^']*'|no need to change the port))? by 'stats socket command'$/

/**
 * What HAProxy answered: it says nothing for a state change and one line for an address change
 * ("IP changed from … to …"); anything else is a refusal ("No such server.", "Invalid …").
 */
export function parseRuntimeReply(stdout: string): { ok: true } | { ok: false; refusals: string[] } {
  const refusals = stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !ADDRESS_CHANGED.test(line))
  return refusals.length === 0 ? { ok: true } : { ok: false, refusals }
}
