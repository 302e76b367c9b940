/**
 * Turns socket and driver errors into short human text and a failure kind (a static table, as zx
 * does for exit codes), so every probe words the same problem the same way.
 */
import type { FailureKind } from "./result.js"
import { TimeLimitExceeded } from "./time-limit.js"

const ERRNO: Record<string, [FailureKind, string]> = {
  ECONNREFUSED: ["refused", "connection refused"],
  ECONNRESET: ["unreachable", "connection reset by the server"],
  EPIPE: ["unreachable", "connection closed by the server"],
  ENOTFOUND: ["unreachable", "host name not found"],
  EAI_AGAIN: ["unreachable", "host name lookup failed"],
  EHOSTUNREACH: ["unreachable", "host unreachable"],
  ENETUNREACH: ["unreachable", "network unreachable"],
  ETIMEDOUT: ["timeout", "connection timed out"],
}

export interface Described {
  failure: FailureKind
  error: string
}

export function describeError(err: unknown): Described {
  if (err instanceof TimeLimitExceeded) return { failure: "timeout", error: err.message }
  const code =
    typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined
  const known = code === undefined ? undefined : ERRNO[code]
  if (known) return { failure: known[0], error: `${known[1]} (${code})` }
  const message = err instanceof Error ? err.message : String(err)
  return { failure: "error", error: message }
}
