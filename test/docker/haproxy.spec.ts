/** The HAProxy route's pure parts: the config, the runtime commands and the replies, exact. */
import { expect } from "chai"
import {
  COMMANDS_ENV,
  RUNTIME_LINE_LIMIT,
  commandLines,
  haproxyConfig,
  parseRuntimeReply,
  retriesFor,
  routeCommands,
  runtimeCommands,
  saveConfig,
  proxyCommand,
} from "../../core/docker/haproxy.js"
import * as fs from "node:fs"
import {
  inFlightTo,
  parseServersState,
  parseSessions,
  proxyState,
  readSessions,
} from "../../core/docker/haproxy-state.js"
import { FIXTURES } from "../helpers/paths.js"

const SETTINGS = { slots: 1, connectTimeoutMs: 1000, serverTimeoutMs: 30_000 }
const GREEN_LIVE = {
  live: { colour: "green" as const, upstreams: [{ address: "10.0.0.3", port: 8000 }] },
  fallback: { colour: "blue" as const, upstreams: [{ address: "10.0.0.2", port: 8000 }] },
  preview: null,
}

describe("docker/haproxy", () => {
  it("writes a static config whose slots are the route's upstreams, every other slot disabled", () => {
    expect(haproxyConfig(SETTINGS, GREEN_LIVE).split("\n").slice(24)).to.deep.equal([
      "backend live",
      '  http-request return status 503 content-type text/plain string "no release is live yet" if { nbsrv(live) eq 0 }',
      "  server blue1 127.0.0.1:1 disabled",
      "  server green1 10.0.0.3:8000",
      "  server blue1-fallback 10.0.0.2:8000 backup observe none",
      "  server green1-fallback 127.0.0.1:1 disabled backup observe none",
      "",
      "backend preview",
      '  http-request return status 503 content-type text/plain string "no release is waiting" if { nbsrv(preview) eq 0 }',
      "  server blue1 127.0.0.1:1 disabled",
      "  server green1 127.0.0.1:1 disabled",
      "",
    ])
    expect(haproxyConfig(SETTINGS).split("\n").slice(0, 24)).to.deep.equal([
      "global",
      "  stats socket ipv4@127.0.0.1:9999 level admin",
      "  stats timeout 10s",
      "",
      "defaults",
      "  mode http",
      "  option forwardfor",
      "  timeout connect 1000ms",
      "  timeout client 60s",
      "  timeout server 30000ms",
      "  timeout http-keep-alive 60s",
      "  retries 4",
      "  retry-on conn-failure empty-response",
      "  option redispatch 1",
      "  default-server check inter 1s fall 1 rise 1 observe layer4 error-limit 3 on-error mark-down",
      "",
      "frontend live",
      "  bind :80",
      "  default_backend live",
      "",
      "frontend preview",
      "  bind :81",
      "  default_backend preview",
      "",
    ])
  })

  it("readies the route's slots before it puts any other slot in maintenance", () => {
    expect(routeCommands(GREEN_LIVE, 1)).to.deep.equal([
      "set server live/green1 addr 10.0.0.3 port 8000",
      "set server live/green1 state ready",
      "set server live/blue1-fallback addr 10.0.0.2 port 8000",
      "set server live/blue1-fallback state ready",
      "set server live/blue1 state maint",
      "set server live/green1-fallback state maint",
      "set server preview/blue1 state maint",
      "set server preview/green1 state maint",
    ])
  })

  it("retries a failed connection until every live slot could have met its error limit, and once more for the fallback", () => {
    expect([1, 2, 3, 50].map(retriesFor)).to.deep.equal([4, 7, 10, 151])
  })

  it("refuses a route with more replicas than slots", () => {
    const two = {
      ...GREEN_LIVE,
      live: {
        colour: "green" as const,
        upstreams: [
          { address: "10.0.0.3", port: 8000 },
          { address: "10.0.0.4", port: 8000 },
        ],
      },
    }
    expect(() => routeCommands(two, 1)).to.throw(RangeError, "2 replicas do not fit the proxy's 1 slots per colour")
  })

  it("joins the commands in order into lines short enough to reach HAProxy in one write", () => {
    expect(
      commandLines(
        [
          "set server live/blue1 state ready",
          "set server live/green1 state maint",
          "set server preview/blue1 state maint",
        ],
        70,
      ),
    ).to.equal(
      "set server live/blue1 state ready; set server live/green1 state maint\nset server preview/blue1 state maint",
    )
    expect(commandLines(["a".repeat(30), "b"], 20)).to.equal(`${"a".repeat(30)}\nb`)
    const all = routeCommands({ ...GREEN_LIVE, preview: GREEN_LIVE.fallback }, 50)
    const lines = commandLines(all).split("\n")
    // A whole switch of 50 slots per colour: 13 connections, none over the limit, every command once, in order.
    expect([lines.length, lines.every((line) => line.length <= RUNTIME_LINE_LIMIT), lines.join("; ")]).to.deep.equal([
      13,
      true,
      all.join("; "),
    ])
  })

  it("runs the runtime API and the config file inside the proxy, with their text in the environment only", () => {
    expect(runtimeCommands("app-proxy")).to.deep.equal([
      "docker",
      "exec",
      "--env",
      COMMANDS_ENV,
      "app-proxy",
      "sh",
      "-c",
      `reply="$(printf '%s\\n' "$HAPROXY_COMMANDS" | while IFS= read -r line; do printf '%s\\n' "$line" | nc 127.0.0.1 9999 || exit 2; done)" || exit 2\nprintf '%s\\n' "$reply"`,
    ])
    expect(saveConfig("app-proxy")).to.deep.equal([
      "docker",
      "exec",
      "--env",
      "HAPROXY_CONFIG",
      "app-proxy",
      "sh",
      "-c",
      `printf '%s' "$HAPROXY_CONFIG" > /var/lib/haproxy/deploy-pipeline.cfg.new && mv /var/lib/haproxy/deploy-pipeline.cfg.new /var/lib/haproxy/deploy-pipeline.cfg`,
    ])
    expect(proxyCommand()).to.deep.equal([
      "sh",
      "-c",
      `[ -s /var/lib/haproxy/deploy-pipeline.cfg ] || printf '%s' "$HAPROXY_CONFIG" > /var/lib/haproxy/deploy-pipeline.cfg; exec haproxy -W -db -f /var/lib/haproxy/deploy-pipeline.cfg`,
    ])
  })

  it("accepts HAProxy's address-change lines and reports anything else as a refusal", () => {
    expect(
      parseRuntimeReply(
        "IP changed from '127.0.0.1' to '10.0.0.3', port changed from '1' to '8000' by 'stats socket command'\n\n",
      ),
    ).to.deep.equal({ ok: true })
    expect(
      parseRuntimeReply(
        "IP changed from '10.0.0.2' to '10.0.0.3', no need to change the port by 'stats socket command'\n",
      ),
    ).to.deep.equal({ ok: true })
    expect(parseRuntimeReply("No such server.\n\nInvalid addr 'x' by 'stats socket command'\n")).to.deep.equal({
      ok: false,
      refusals: ["No such server.", "Invalid addr 'x' by 'stats socket command'"],
    })
  })
})

describe("docker/haproxy-state", () => {
  // As HAProxy 2.6 printed it for `show servers state live` (trailing columns kept).
  const header =
    "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port"
  const row = (id: number, name: string, addr: string, op: number, admin: number, port: number) =>
    `4 live ${id} ${name} ${addr} ${op} ${admin} 1 1 0 6 3 1 6 0 0 0 - ${port} - 0 0 - - 0`

  it("reads the route back: ready slots by colour, the dead ones, nothing mixed", () => {
    const stdout = [
      header,
      row(1, "blue1", "127.0.0.1", 0, 5, 1),
      row(2, "green1", "10.0.0.3", 0, 0, 8000),
      row(3, "blue1-fallback", "10.0.0.2", 2, 0, 8000),
      row(4, "green1-fallback", "127.0.0.1", 0, 5, 1),
      "",
    ].join("\n")
    const state = proxyState(parseServersState(stdout))
    expect(state.route).to.deep.equal({ live: GREEN_LIVE.live, fallback: GREEN_LIVE.fallback, preview: null })
    expect(state.down.map((s) => `${s.backend}/${s.colour}${s.replica}`)).to.deep.equal(["live/green1"])
    expect(state.mixed).to.deep.equal([])
  })

  it("names a part where both colours are ready, as an interrupted switch leaves it", () => {
    const stdout = [header, row(1, "blue1", "10.0.0.2", 2, 0, 8000), row(2, "green1", "10.0.0.3", 2, 0, 8000)].join(
      "\n",
    )
    const state = proxyState(parseServersState(stdout))
    expect(state.mixed).to.deep.equal(["live"])
    expect(state.route.live).to.deep.equal({ colour: "blue", upstreams: [{ address: "10.0.0.2", port: 8000 }] })
  })
})

describe("docker/haproxy-state: what is in flight", () => {
  // `show stat -1 4 -1` of HAProxy 2.6.12 (Debian), captured whole; green1 edited to 3 current sessions and 1 queued.
  const stat = fs.readFileSync(`${FIXTURES}/haproxy/show-stat.txt`, "utf8")

  it("reads show stat for servers only, inside the proxy", () => {
    expect(readSessions("p")).to.deep.equal([
      "docker",
      "exec",
      "p",
      "sh",
      "-c",
      "printf 'show stat -1 4 -1\\n' | nc 127.0.0.1 9999",
    ])
  })

  it("reads each server's address and its current plus queued requests by the header's column names", () => {
    expect(parseSessions(stat)).to.deep.equal([
      { backend: "live", server: "blue1", address: "127.0.0.1", inFlight: 0 },
      { backend: "live", server: "green1", address: "10.0.0.5", inFlight: 4 },
    ])
  })

  it("counts what is in flight to the given addresses only", () => {
    const servers = parseSessions(stat)
    expect(inFlightTo(servers, new Set(["10.0.0.5"]))).to.equal(4)
    expect(inFlightTo(servers, new Set(["10.0.0.9", "127.0.0.1"]))).to.equal(0)
    expect(parseSessions("")).to.deep.equal([])
  })
})
