/**
 * A bounded HTTP load generator for switch proofs: Node http with keep-alive, a fixed number of
 * GET requests, a fixed concurrency and a deadline. Every request is recorded (start, end, status,
 * body or error, whether its socket had carried a request before) so a spec can say what was
 * served before, during and after a switch.
 *
 * Retries: none by default. A reset or refused connection is a failed request, as it is for a
 * POST, a webhook and most service-to-service clients; a retried request would hide a dropped
 * one. `retryConnectionFailures: true` makes it behave like a browser, curl or Go's net/http
 * client instead (a GET whose connection was closed or reset before any response byte arrived is
 * sent once more on a new connection, RFC 9110 §9.2.2), counted and reported, never hidden; the
 * Caddy spike (test/spike) measured Caddy's reloads that way. An HTTP error status is never
 * retried. NO_RETRY adds the mix the deploy specs use: kept-open and new connections, GET and POST.
 */
import http from "node:http"

export interface LoadOptions {
  url: string
  requests: number
  concurrency: number
  deadlineMs: number
  /** Per-request timeout. */
  timeoutMs?: number
  /** false: a new connection per request (Connection: close). Default true. */
  keepAlive?: boolean
  /** true: retry a GET once after a connection failure, as browsers do (counted). Default false: every failure counts. */
  retryConnectionFailures?: boolean
  /** Methods cycled through by request index; a POST carries a small body with its length. Default GET only. */
  methods?: readonly ("GET" | "POST")[]
  /** Each worker sends every Nth request on a new connection (Connection: close) and the rest kept-open. Default never. */
  freshConnectionEvery?: number
  /** Called after each completed request with the number completed so far. */
  onProgress?: (completed: number) => void
  /** Keep sending past `requests` while this says true (e.g. until a deploy has finished); the deadline still bounds the run. */
  continueWhile?: () => boolean
}

export interface Attempt {
  startedAt: number
  endedAt: number
  /** Whether the socket had carried an earlier request (keep-alive reuse). */
  reusedSocket: boolean
  status?: number
  body?: string
  error?: string
  /** Whether any response byte arrived before an error. */
  gotResponse: boolean
}

export interface RequestRecord extends Attempt {
  index: number
  worker: number
  method: "GET" | "POST"
  /** The failed first attempt, when the request was retried; the record's own fields are the retry's. */
  retriedAfter?: Attempt
}

export interface LoadResult {
  records: RequestRecord[]
  /** Requests that were never sent because the deadline passed. */
  notSent: number
  durationMs: number
  socketsOpened: number
}

/** A client that never retries, as most service-to-service clients and every POST: kept-open and new connections (every third), GET and POST. */
export const NO_RETRY: Omit<LoadOptions, "url" | "continueWhile"> = {
  requests: 1_000,
  concurrency: 8,
  deadlineMs: 120_000,
  retryConnectionFailures: false,
  methods: ["GET", "POST"],
  freshConnectionEvery: 3,
}

/** Requests that did not end in 200, after the one retry a conforming client makes. */
export function failures(records: RequestRecord[]): RequestRecord[] {
  return records.filter((r) => r.error !== undefined || r.status !== 200)
}

export function retried(records: RequestRecord[]): RequestRecord[] {
  return records.filter((r) => r.retriedAfter !== undefined)
}

/** Monotonic milliseconds, comparable across the load and the switch call. */
export const now = (): number => performance.now()

/** Connection-level failures that a client may retry for an idempotent request. */
const RETRYABLE = new Set(["ECONNRESET", "EPIPE", "ECONNREFUSED"])

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const {
    url,
    requests,
    concurrency,
    deadlineMs,
    timeoutMs = 10_000,
    keepAlive = true,
    retryConnectionFailures = false,
  } = options
  const agent = keepAlive
    ? new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency })
    : false
  // Requests carried per socket: the truth about reuse (req.reusedSocket misses some cases).
  const uses = new WeakMap<object, number>()
  let socketsOpened = 0
  const records: RequestRecord[] = []
  const started = now()
  const deadline = started + deadlineMs
  let next = 0

  const methods = options.methods ?? ["GET"]
  const attempt = (fresh: boolean, method: "GET" | "POST"): Promise<Attempt & { code?: string }> =>
    new Promise((resolve) => {
      const a: Attempt & { code?: string } = { startedAt: now(), endedAt: 0, reusedSocket: false, gotResponse: false }
      const done = (extra: Partial<Attempt> & { code?: string }): void => resolve({ ...a, ...extra, endedAt: now() })
      const useFresh = fresh || !agent
      const body = method === "POST" ? "load=1" : undefined
      const headers = {
        ...(useFresh ? { connection: "close" } : {}),
        ...(body ? { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) } : {}),
      }
      const req = http.request(url, { method, agent: useFresh ? false : agent, timeout: timeoutMs, headers }, (res) => {
        a.gotResponse = true
        let body = ""
        res.setEncoding("utf8")
        res.on("data", (chunk: string) => (body += chunk))
        res.on("end", () => done({ status: res.statusCode, body: body.trim() }))
        res.on("error", (err) => done({ status: res.statusCode, error: `response: ${err.message}` }))
        res.on("close", () => {
          if (!res.complete) done({ status: res.statusCode, error: "response: connection closed mid-body" })
        })
      })
      req.on("socket", (socket) => {
        const n = (uses.get(socket) ?? 0) + 1
        uses.set(socket, n)
        if (n === 1) socketsOpened++
        a.reusedSocket = n > 1
      })
      req.on("timeout", () =>
        req.destroy(Object.assign(new Error(`timeout after ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
      )
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (!a.gotResponse) done({ error: `${err.code ?? "error"}: ${err.message}`, code: err.code })
      })
      req.end(body)
    })

  const one = async (index: number, worker: number, fresh: boolean): Promise<RequestRecord> => {
    const method = methods[index % methods.length]!
    const { code, ...first } = await attempt(fresh, method)
    // Only an idempotent request may be retried after a connection failure (RFC 9110 §9.2.2).
    if (
      first.error &&
      !first.gotResponse &&
      retryConnectionFailures &&
      method === "GET" &&
      code &&
      RETRYABLE.has(code)
    ) {
      const { code: _ignored, ...second } = await attempt(true, method)
      return { ...second, index, worker, method, retriedAfter: first }
    }
    return { ...first, index, worker, method }
  }

  const worker = async (id: number): Promise<void> => {
    let sent = 0
    while ((next < requests || options.continueWhile?.() === true) && now() < deadline) {
      const fresh = options.freshConnectionEvery !== undefined && ++sent % options.freshConnectionEvery === 0
      const record = await one(next++, id, fresh)
      records.push(record)
      options.onProgress?.(records.length)
    }
  }

  try {
    await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)))
  } finally {
    if (agent) agent.destroy()
  }
  records.sort((a, b) => a.index - b.index)
  return { records, notSent: Math.max(0, requests - records.length), durationMs: now() - started, socketsOpened }
}

/** Runs `work` under load: at least `requests`, and on until `work` ends (the deadline still bounds it). */
export async function underLoad<T>(
  options: Omit<LoadOptions, "continueWhile">,
  work: () => Promise<T>,
): Promise<{ value: T; load: LoadResult; seconds: number }> {
  let working = true
  const load = runLoad({ ...options, continueWhile: () => working })
  const started = performance.now()
  let value: T
  try {
    value = await work()
  } finally {
    working = false
  }
  const seconds = (performance.now() - started) / 1000
  return { value, seconds, load: await load }
}
