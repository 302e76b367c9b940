/**
 * What one probe attempt reports. Every probe (HTTP, Postgres, Memcached, RabbitMQ, or a fake in
 * a test) returns this shape and never throws, so the gate, the watch and the retry loop treat
 * them alike, and a failed gate can show the last few results verbatim.
 */

/** Why an attempt failed; `hints.ts` turns each into what to check next. */
export type FailureKind =
  | "refused" //    nothing listening (ECONNREFUSED)
  | "unreachable" // DNS, route or reset before an answer
  | "timeout" //    no complete answer within the attempt's timeout
  | "status" //     HTTP status other than the expected one
  | "body" //       the body is not JSON, or has no "status"
  | "unhealthy" //  the app says it is not healthy
  | "version" //    healthy, but not the expected version
  | "auth" //       the service refused our credentials
  | "error" //      anything else the service said

export interface ProbeResult {
  ok: boolean
  /** What was probed, without secrets: `GET http://127.0.0.1:8001/health/ (Host: app.example.com)`. */
  target: string
  /** How long the attempt took. */
  ms: number
  /** The HTTP status, when there was one. */
  status?: number
  /** The start of the body (at most BODY_EXCERPT characters, whitespace collapsed). */
  body?: string
  /** Set when ok is false. */
  failure?: FailureKind
  /** Human text for a failure: `expected status 200, got 503`. */
  error?: string
}

/** One attempt; `timeoutMs` is the most it may take (the caller already clipped it to its deadline). */
export type Probe = (attempt: { timeoutMs: number }) => Promise<ProbeResult>

export const BODY_EXCERPT = 200

/** Runs a probe so that a throwing probe becomes a failed result instead of an exception. */
export async function attempt(probe: Probe, timeoutMs: number, target = "probe"): Promise<ProbeResult> {
  try {
    return await probe({ timeoutMs })
  } catch (err) {
    return {
      ok: false,
      target,
      ms: 0,
      failure: "error",
      error: `the probe threw: ${err instanceof Error ? err.message : String(err)}`,
    }
  }
}
