/**
 * Health probes that run on the Docker host itself, from inside the proxy container: they see
 * the app exactly as the proxy does, whether the host is this machine or a remote one reached by
 * ssh, so the gate and the watch take one code path under every executor.
 */
import { fetchFromProxy, parseFetch } from "../docker/proxy-fetch.js"
import type { Executor } from "../exec/types.js"
import { judge } from "../health/probes/http.js"
import type { Probe } from "../health/result.js"

export interface ProxyProbeOptions {
  proxy: string
  /** As the proxy reaches it: http://<container>:8000/health/ or http://127.0.0.1:80/health/. */
  url: string
  expectStatus: number
  expectVersion?: string
  /** Sent as the Host header (probe-host.ts); without it, wget sends the URL's host. */
  hostHeader?: string
}

export function proxyProbe(executor: Executor, options: ProxyProbeOptions): Probe {
  const target = `GET ${options.url}${options.hostHeader ? ` (Host: ${options.hostHeader})` : ""} from ${options.proxy}`
  return async ({ timeoutMs }) => {
    const started = performance.now()
    const result = await executor.run(fetchFromProxy(options.proxy, options.url, timeoutMs / 1000, options.hostHeader))
    const ms = Math.round(performance.now() - started)
    const fetched = parseFetch(result.exitCode, result.stderr)
    if ("failure" in fetched) return { ok: false, target, ms, failure: fetched.failure, error: fetched.error }
    return { target, ms, ...judge(fetched.status, result.stdout, options) }
  }
}
