/**
 * The swarm driver's proxy: Caddy's configuration and the commands that change it. Caddy serves
 * live traffic on :80 and the idle release on :81 (preview); a switch loads a whole new config
 * through Caddy's admin API, by running `caddy reload` inside the proxy container, so the admin
 * API is never published and the same command works on a local or a remote Docker host. A reload
 * closes idle kept-open client connections (docs/proxy.md): the compose driver routes through
 * HAProxy's runtime API instead (haproxy.ts).
 */
import { exec } from "./argv.js"

export const LIVE_PORT = 80
export const PREVIEW_PORT = 81
export const CONFIG_ENV = "CADDY_CONFIG"

/**
 * Where a server sends traffic: fixed host:port dials (the compose driver's containers), or a DNS
 * name whose A records Caddy re-reads every second and balances round-robin (a swarm service's
 * `tasks.<service>`, so a rescheduled task is picked up without a reload).
 */
export type Upstreams = readonly string[] | { dns: string; port: number }

export interface ProxyRoutes {
  adminPort: number
  /** The live release; no dials serves 503 until a release is live. */
  live: Upstreams
  /** The idle release, for checks before a switch. */
  preview: Upstreams
}

/** How often Caddy re-resolves a DNS upstream, and how long it retries a request across its addresses. */
export const DNS_REFRESH = "1s"
export const DNS_TRY_DURATION = "5s"

function route(upstreams: Upstreams, idle: string) {
  if ("dns" in upstreams) {
    return {
      handle: [
        {
          handler: "reverse_proxy",
          dynamic_upstreams: { source: "a", name: upstreams.dns, port: String(upstreams.port), refresh: DNS_REFRESH },
          load_balancing: { selection_policy: { policy: "round_robin" }, try_duration: DNS_TRY_DURATION },
        },
      ],
    }
  }
  if (upstreams.length === 0) return { handle: [{ handler: "static_response", status_code: 503, body: idle }] }
  return { handle: [{ handler: "reverse_proxy", upstreams: upstreams.map((dial) => ({ dial })) }] }
}

/** The Caddy container's command: the config it last loaded (autosaved), else the image's. */
export function caddyCommand(): string[] {
  return ["caddy", "run", "--resume", "--config", "/etc/caddy/caddy.json"]
}

export function caddyConfig(routes: ProxyRoutes): object {
  return {
    admin: { listen: `localhost:${routes.adminPort}` },
    apps: {
      http: {
        servers: {
          live: {
            listen: [`:${LIVE_PORT}`],
            automatic_https: { disable: true },
            routes: [route(routes.live, "no release is live yet\n")],
          },
          preview: {
            listen: [`:${PREVIEW_PORT}`],
            automatic_https: { disable: true },
            routes: [route(routes.preview, "no release is waiting\n")],
          },
        },
      },
    },
  }
}

/**
 * `caddy reload` inside the proxy: the config arrives in the CADDY_CONFIG variable (set by the
 * executor, so no quoting of JSON in argv), is written to a file, and POSTed to the admin API.
 */
export function reloadProxy(proxy: string, adminPort: number): string[] {
  const script = `printf '%s' "$${CONFIG_ENV}" > /tmp/deploy-pipeline.json && caddy reload --config /tmp/deploy-pipeline.json --address localhost:${adminPort} --force`
  return exec(proxy, ["sh", "-c", script], [CONFIG_ENV])
}

/** The live server's handler, as Caddy's admin API reports it (read inside the proxy). */
export function readLiveUpstreams(proxy: string, adminPort: number): string[] {
  return exec(proxy, [
    "timeout",
    "5",
    "wget",
    "-q",
    "-O",
    "-",
    `http://localhost:${adminPort}/config/apps/http/servers/live/routes/0/handle/0`,
  ])
}

/**
 * Host names from what readLiveUpstreams printed: each fixed dial without its port, or the DNS
 * name of a dynamic upstream. Nothing ("null", a 503 responder) when no release is live.
 */
export function parseLiveUpstreams(stdout: string): string[] {
  const text = stdout.trim()
  if (text === "" || text === "null") return []
  const handler = JSON.parse(text) as { upstreams?: { dial?: string }[]; dynamic_upstreams?: { name?: string } } | null
  if (handler?.dynamic_upstreams?.name) return [handler.dynamic_upstreams.name]
  return (handler?.upstreams ?? []).map((u) => (u.dial ?? "").replace(/:\d+$/, "")).filter((name) => name !== "")
}
