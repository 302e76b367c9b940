/** The swarm driver's HAProxy config and switch, as exact text: colours as DNS server templates. */
import { expect } from "chai"
import { dnsHaproxyConfig, dnsRouteCommands } from "../../core/docker/haproxy-dns.js"

const SETTINGS = {
  slots: 2,
  connectTimeoutMs: 1000,
  serverTimeoutMs: 30_000,
  services: { blue: "shop-dev-blue_web", green: "shop-dev-green_web" },
  appPort: 8000,
}

describe("docker/haproxy-dns", () => {
  it("resolves through Docker's DNS every second, before the shared defaults", () => {
    const lines = dnsHaproxyConfig(SETTINGS).split("\n")
    expect(lines.slice(4, 17)).to.deep.equal([
      "resolvers docker",
      "  nameserver docker 127.0.0.11:53",
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
    ])
    expect(lines[17]).to.equal("defaults")
  })

  it("holds both colours' templates in each backend, and as the live backend's backup servers; those off the route disabled", () => {
    const templates = dnsHaproxyConfig(SETTINGS, { live: "green", fallback: "blue", preview: "blue" })
      .split("\n")
      .filter((line) => line.startsWith("backend") || line.includes("server-template"))
    expect(templates).to.deep.equal([
      "backend live",
      "  server-template blue 1-2 tasks.shop-dev-blue_web:8000 resolvers docker resolve-prefer ipv4 init-addr none disabled",
      "  server-template green 1-2 tasks.shop-dev-green_web:8000 resolvers docker resolve-prefer ipv4 init-addr none",
      "  server-template fallback-blue 1-2 tasks.shop-dev-blue_web:8000 resolvers docker resolve-prefer ipv4 init-addr none backup observe none resolve-opts allow-dup-ip",
      "  server-template fallback-green 1-2 tasks.shop-dev-green_web:8000 resolvers docker resolve-prefer ipv4 init-addr none backup observe none resolve-opts allow-dup-ip disabled",
      "backend preview",
      "  server-template blue 1-2 tasks.shop-dev-blue_web:8000 resolvers docker resolve-prefer ipv4 init-addr none",
      "  server-template green 1-2 tasks.shop-dev-green_web:8000 resolvers docker resolve-prefer ipv4 init-addr none disabled",
    ])
  })

  it("switches by making the route's slots ready first, then the others idle", () => {
    expect(dnsRouteCommands({ live: "green", fallback: null, preview: null }, 2)).to.deep.equal([
      "set server live/green1 state ready",
      "set server live/green2 state ready",
      "set server live/blue1 state maint",
      "set server live/blue2 state maint",
      "set server live/fallback-blue1 state maint",
      "set server live/fallback-blue2 state maint",
      "set server live/fallback-green1 state maint",
      "set server live/fallback-green2 state maint",
      "set server preview/blue1 state maint",
      "set server preview/blue2 state maint",
      "set server preview/green1 state maint",
      "set server preview/green2 state maint",
    ])
  })
})
