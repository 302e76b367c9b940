/**
 * Small real-engine helpers for the spikes: run docker, name things with a per-run prefix and
 * label, clean up by that label, and talk to Caddy's admin API.
 */
import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import http from "node:http"
import { promisify } from "node:util"
import { APP_PORT, CADDY_ADMIN_PORT, DOCKER } from "../helpers/docker-images.js"

const execFileAsync = promisify(execFile)

/** The label every spike container and network carries, with the run's prefix as its value. */
export const RUN_LABEL = "deploy-pipeline-test.run"

export async function docker(...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(DOCKER, args, {
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    })
    return stdout.trim()
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`docker ${args.join(" ")}: ${e.stderr?.trim() || e.message}`)
  }
}

/** A prefix unique to this run, for container and network names: dp-spike-<pid>-<hex>. */
export function runPrefix(kind = "spike"): string {
  return `dp-${kind}-${process.pid}-${randomBytes(3).toString("hex")}`
}

/** Removes every container and network labelled with this run's prefix; never throws. */
export async function removeRun(prefix: string): Promise<void> {
  const filter = `label=${RUN_LABEL}=${prefix}`
  const containers = (await docker("ps", "-aq", "--filter", filter).catch(() => "")).split("\n").filter(Boolean)
  if (containers.length) await docker("rm", "-f", "-v", ...containers).catch(() => "")
  const networks = (await docker("network", "ls", "-q", "--filter", filter).catch(() => "")).split("\n").filter(Boolean)
  if (networks.length) await docker("network", "rm", ...networks).catch(() => "")
}

/** The host port that Docker published for a container port (bound to 127.0.0.1). */
export async function publishedPort(container: string, port: number): Promise<number> {
  const out = await docker("port", container, `${port}/tcp`)
  const match = /127\.0\.0\.1:(\d+)/.exec(out)
  if (!match?.[1]) throw new Error(`${container} publishes ${port}/tcp on no 127.0.0.1 port: ${out}`)
  return Number(match[1])
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export interface HttpAnswer {
  status: number
  body: string
  ms: number
}

/** One HTTP request on a fresh connection (no keep-alive), with timing. */
export function request(method: string, url: string, body?: unknown, timeoutMs = 30_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const started = performance.now()
    const req = http.request(
      url,
      {
        method,
        agent: false,
        timeout: timeoutMs,
        headers: payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {},
      },
      (res) => {
        let text = ""
        res.setEncoding("utf8")
        res.on("data", (c: string) => (text += c))
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }))
        res.on("error", reject)
      },
    )
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: timeout after ${timeoutMs} ms`)))
    req.on("error", reject)
    req.end(payload)
  })
}

/** Caddy's JSON config: the admin API on all interfaces of the container, one proxy route to upstream. */
export function caddyConfig(upstream: string): object {
  return {
    admin: { listen: `0.0.0.0:${CADDY_ADMIN_PORT}` },
    apps: {
      http: {
        servers: {
          web: {
            listen: [":8080"],
            routes: [
              {
                "@id": "web-route",
                handle: [
                  { handler: "reverse_proxy", "@id": "web-proxy", upstreams: [{ dial: `${upstream}:${APP_PORT}` }] },
                ],
              },
            ],
          },
        },
      },
    },
  }
}

export const CADDY_HTTP_PORT = 8080
