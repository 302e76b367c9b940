/**
 * What the running proxy routes, read back from HAProxy's runtime API (`show servers state`):
 * the one truth about which release serves, whatever the ledger or the deployer believed.
 */
import { exec } from "./argv.js"
import { COLOURS, type Colour, type ReleaseRoute, RUNTIME_API_PORT, type Route } from "./haproxy.js"

/** One server of the live or preview backend, as HAProxy reports it. */
export interface SlotState {
  backend: "live" | "preview"
  colour: Colour
  /** 1-based replica number within the colour. */
  replica: number
  fallback: boolean
  address: string
  port: number
  /** In the route: not in maintenance. */
  ready: boolean
  /** Passing its checks (HAProxy's operational state "running"). */
  up: boolean
}

export interface ProxyState {
  route: Route
  /** Ready slots whose checks fail: a release that died while routed. */
  down: SlotState[]
  /** Parts with both colours ready, as a switch interrupted between its two halves leaves them. */
  mixed: ("live" | "fallback" | "preview")[]
}

/** `show servers state` for both backends, read inside the proxy. */
export function readProxyState(proxy: string): string[] {
  const api = `nc 127.0.0.1 ${RUNTIME_API_PORT}`
  return exec(proxy, [
    "sh",
    "-c",
    `printf 'show servers state live\\n' | ${api} && printf 'show servers state preview\\n' | ${api}`,
  ])
}

const SERVER = new RegExp(`^(${COLOURS.join("|")})(\\d+)(-fallback)?$`)
/** srv_admin_state bit: forced maintenance (`set server … state maint`, or `disabled` in the config). */
const FORCED_MAINTENANCE = 0x01
/** srv_op_state value for a server passing its checks. */
const RUNNING = 2

/** Parses the runtime API's "version 1" table(s); lines of other backends or shapes are ignored. */
export function parseServersState(stdout: string): SlotState[] {
  let columns: string[] = []
  const slots: SlotState[] = []
  for (const line of stdout.split("\n")) {
    if (line.startsWith("# be_id")) {
      columns = line.slice(2).trim().split(/\s+/)
      continue
    }
    const fields = line.trim().split(/\s+/)
    if (columns.length === 0 || fields.length < columns.length) continue
    const field = (name: string) => fields[columns.indexOf(name)] ?? ""
    const backend = field("be_name")
    const name = SERVER.exec(field("srv_name"))
    if ((backend !== "live" && backend !== "preview") || !name) continue
    slots.push({
      backend,
      colour: name[1] as Colour,
      replica: Number(name[2]),
      fallback: name[3] !== undefined,
      address: field("srv_addr"),
      port: Number(field("srv_port")),
      ready: (Number(field("srv_admin_state")) & FORCED_MAINTENANCE) === 0,
      up: Number(field("srv_op_state")) === RUNNING,
    })
  }
  return slots
}

/**
 * The route the slots make: each part is the colour of its ready slots, in replica order. A part
 * with both colours ready is named in `mixed`, and its route is the colour with more ready slots
 * (blue on a tie), so the caller decides what to finish, never this parser.
 */
export function proxyState(slots: readonly SlotState[]): ProxyState {
  const mixed: ProxyState["mixed"] = []
  const part = (
    name: ProxyState["mixed"][number],
    backend: SlotState["backend"],
    fallback: boolean,
  ): ReleaseRoute | null => {
    const ready = slots.filter((s) => s.backend === backend && s.fallback === fallback && s.ready)
    const byColour = COLOURS.map((colour) =>
      ready.filter((s) => s.colour === colour).sort((a, b) => a.replica - b.replica),
    )
    const present = byColour.filter((group) => group.length > 0)
    if (present.length === 0) return null
    if (present.length > 1) mixed.push(name)
    const chosen = present.reduce((best, group) => (group.length > best.length ? group : best))
    return { colour: chosen[0]!.colour, upstreams: chosen.map((s) => ({ address: s.address, port: s.port })) }
  }
  const route = {
    live: part("live", "live", false),
    fallback: part("fallback", "live", true),
    preview: part("preview", "preview", false),
  }
  return { route, down: slots.filter((s) => s.ready && !s.up), mixed }
}

/** Requests a server of the proxy is answering or has queued: what must finish before its container stops. */
export interface ServerSessions {
  backend: string
  server: string
  /** The server's address, without its port. */
  address: string
  /** Current sessions plus queued requests (`scur` + `qcur`). */
  inFlight: number
}

/** `show stat` for servers only (type 4), read inside the proxy. */
export function readSessions(proxy: string): string[] {
  return exec(proxy, ["sh", "-c", `printf 'show stat -1 4 -1\\n' | nc 127.0.0.1 ${RUNTIME_API_PORT}`])
}

/** Parses `show stat` CSV (columns named by its "# pxname,…" header); other lines are ignored. */
export function parseSessions(stdout: string): ServerSessions[] {
  let columns: string[] = []
  const servers: ServerSessions[] = []
  for (const line of stdout.split("\n")) {
    if (line.startsWith("# pxname")) {
      columns = line.slice(2).trim().split(",")
      continue
    }
    const fields = line.trim().split(",")
    if (columns.length === 0 || fields.length < columns.length) continue
    const field = (name: string) => fields[columns.indexOf(name)] ?? ""
    const addr = field("addr")
    servers.push({
      backend: field("pxname"),
      server: field("svname"),
      address: addr.includes(":") ? addr.slice(0, addr.lastIndexOf(":")) : addr,
      inFlight: (Number(field("scur")) || 0) + (Number(field("qcur")) || 0),
    })
  }
  return servers
}

/** The requests still in flight to servers at `addresses`: what a drain waits out. */
export function inFlightTo(servers: readonly ServerSessions[], addresses: ReadonlySet<string>): number {
  return servers.filter((s) => addresses.has(s.address)).reduce((sum, s) => sum + s.inFlight, 0)
}
