/**
 * The app's own health endpoint, probed with node:http. Healthy means all of: the expected
 * status, a JSON body whose `status` is "healthy", and (when one is given) a `version` equal to
 * the release being deployed, so the gate cannot be passed by the old colour still answering.
 *
 * Django refuses requests whose Host is not in ALLOWED_HOSTS (400), and probes usually reach the
 * container by IP, so the Host header is an option. One hard time limit covers connect, headers
 * and body; a slow body cannot hold the gate past it. No keep-alive agent: every attempt is a
 * fresh connection, closed when it ends.
 */
import http from "node:http"
import { describeError } from "../errno.js"
import { BODY_EXCERPT, type Probe, type ProbeResult } from "../result.js"

export interface HttpProbeOptions {
  /** http://host:port/path, e.g. http://127.0.0.1:8001/health/ */
  url: string
  /** Sent as the Host header (an ALLOWED_HOSTS entry); default: the URL's host. */
  hostHeader?: string
  expectStatus: number
  /** When set, the body's `version` must equal it. */
  expectVersion?: string
}

/** The most of a body read before judging it; health bodies are small. */
const MAX_BODY = 64 * 1024

export function httpProbe(options: HttpProbeOptions): Probe {
  const url = new URL(options.url)
  if (url.protocol !== "http:") throw new TypeError(`httpProbe takes an http:// URL; got ${options.url}`)
  const target = `GET ${url.href}${options.hostHeader ? ` (Host: ${options.hostHeader})` : ""}`
  return ({ timeoutMs }) => get(url, options, target, timeoutMs)
}

function get(url: URL, options: HttpProbeOptions, target: string, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  return new Promise<ProbeResult>((resolve) => {
    let settled = false
    const finish = (result: Omit<ProbeResult, "target" | "ms">) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.destroy()
      resolve({ target, ms: elapsed(), ...result })
    }
    const request = http.request(
      {
        host: url.hostname,
        port: url.port || 80,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        agent: false,
        headers: {
          Host: options.hostHeader ?? url.host,
          Accept: "application/json",
          "User-Agent": "deploy-pipeline-health",
          Connection: "close",
        },
      },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        response.on("data", (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk)
          size += chunk.length
        })
        response.on("end", () =>
          finish(judge(response.statusCode ?? 0, Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY), options)),
        )
        response.on("error", (err) => finish({ ok: false, ...describeError(err) }))
        response.on("close", () => {
          if (!response.complete)
            finish({
              ok: false,
              status: response.statusCode,
              failure: "unreachable",
              error: "the connection closed before the body ended",
            })
        })
      },
    )
    const timer = setTimeout(
      () => finish({ ok: false, failure: "timeout", error: `no answer within ${timeoutMs}ms` }),
      Math.max(0, timeoutMs),
    )
    request.on("error", (err) => finish({ ok: false, ...describeError(err) }))
    request.end()
  })
}

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > BODY_EXCERPT ? `${flat.slice(0, BODY_EXCERPT)}…` : flat
}

/** Pure: the verdict on one answer. */
export function judge(
  status: number,
  text: string,
  options: Pick<HttpProbeOptions, "expectStatus" | "expectVersion">,
): Omit<ProbeResult, "target" | "ms"> {
  const body = excerpt(text)
  if (status !== options.expectStatus)
    return {
      ok: false,
      status,
      body,
      failure: "status",
      error: `expected status ${options.expectStatus}, got ${status}`,
    }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { ok: false, status, body, failure: "body", error: "the body is not JSON" }
  }
  const fields =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined
  if (fields === undefined || !("status" in fields))
    return { ok: false, status, body, failure: "body", error: 'the body has no "status" field' }
  if (fields.status !== "healthy")
    return {
      ok: false,
      status,
      body,
      failure: "unhealthy",
      error: `status is ${JSON.stringify(fields.status)}, not "healthy"`,
    }
  if (options.expectVersion !== undefined && fields.version !== options.expectVersion) {
    return {
      ok: false,
      status,
      body,
      failure: "version",
      error: `version is ${JSON.stringify(fields.version ?? null)}, expected ${JSON.stringify(options.expectVersion)}`,
    }
  }
  return { ok: true, status, body }
}
