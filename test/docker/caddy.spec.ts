/** The proxy's config and the commands that read and change it (pure). */
import { expect } from "chai"
import {
  caddyCommand,
  caddyConfig,
  parseLiveUpstreams,
  readLiveUpstreams,
  reloadProxy,
} from "../../src/docker/caddy.js"

describe("docker/caddy", () => {
  const live = (config: object) =>
    (config as { apps: { http: { servers: Record<string, { routes: { handle: object[] }[] }> } } }).apps.http.servers

  it("routes fixed dials (compose), DNS upstreams re-read every second (swarm), or answers 503 when nothing is there", () => {
    const servers = live(
      caddyConfig({
        adminPort: 2019,
        live: ["p-web-aaaaaaaaaaaa-1:8000"],
        preview: { dns: "tasks.p-green_web", port: 8000 },
      }),
    )
    expect(servers.live!.routes[0]!.handle).to.deep.equal([
      { handler: "reverse_proxy", upstreams: [{ dial: "p-web-aaaaaaaaaaaa-1:8000" }] },
    ])
    expect(servers.preview!.routes[0]!.handle).to.deep.equal([
      {
        handler: "reverse_proxy",
        dynamic_upstreams: { source: "a", name: "tasks.p-green_web", port: "8000", refresh: "1s" },
        load_balancing: { selection_policy: { policy: "round_robin" }, try_duration: "5s" },
      },
    ])
    const empty = live(caddyConfig({ adminPort: 2019, live: [], preview: [] }))
    expect(empty.live!.routes[0]!.handle).to.deep.equal([
      { handler: "static_response", status_code: 503, body: "no release is live yet\n" },
    ])
  })

  it("reads the live handler inside the proxy and names its hosts, whichever kind of upstream it has", () => {
    expect(readLiveUpstreams("p-proxy", 2019)).to.deep.equal([
      "docker",
      "exec",
      "p-proxy",
      "timeout",
      "5",
      "wget",
      "-q",
      "-O",
      "-",
      "http://localhost:2019/config/apps/http/servers/live/routes/0/handle/0",
    ])
    expect(
      parseLiveUpstreams('{"handler":"reverse_proxy","upstreams":[{"dial":"a-1:8000"},{"dial":"a-2:8000"}]}'),
    ).to.deep.equal(["a-1", "a-2"])
    expect(
      parseLiveUpstreams(
        '{"dynamic_upstreams":{"name":"tasks.p-blue_web","port":"8000","refresh":"1s","source":"a"},"handler":"reverse_proxy"}',
      ),
    ).to.deep.equal(["tasks.p-blue_web"])
    expect(parseLiveUpstreams('{"handler":"static_response","status_code":503}')).to.deep.equal([])
    expect(parseLiveUpstreams("null")).to.deep.equal([])
    expect(parseLiveUpstreams("")).to.deep.equal([])
  })

  it("runs the config Caddy last loaded", () => {
    expect(caddyCommand()).to.deep.equal(["caddy", "run", "--resume", "--config", "/etc/caddy/caddy.json"])
  })

  it("reloads through the admin API inside the proxy, the config passed by name in the environment", () => {
    expect(reloadProxy("p-proxy", 2019)).to.deep.equal([
      "docker",
      "exec",
      "--env",
      "CADDY_CONFIG",
      "p-proxy",
      "sh",
      "-c",
      `printf '%s' "$CADDY_CONFIG" > /tmp/deploy-pipeline.json && caddy reload --config /tmp/deploy-pipeline.json --address localhost:2019 --force`,
    ])
  })
})
