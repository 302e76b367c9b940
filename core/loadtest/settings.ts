/**
 * What one wrk run will do, resolved from what the user asked: defaults applied, every number a
 * whole number inside its bound, the target checked. Both edges (CLI and Dagger) start here.
 */
import { LoadTestError } from "./errors.js"
import { LOAD_TEST_DEFAULTS, LOAD_TEST_LIMITS } from "./limits.js"
import { checkTarget } from "./target.js"

/** What the user asks for; unset numbers take LOAD_TEST_DEFAULTS. */
export interface LoadTestRequest {
  url: string
  users?: number
  /** Seconds. */
  duration?: number
  threads?: number
  /** Seconds. */
  timeout?: number
}

export interface WrkSettings {
  url: string
  connections: number
  threads: number
  durationSeconds: number
  timeoutSeconds: number
}

export function planLoadTest(request: LoadTestRequest): WrkSettings {
  const connections = request.users ?? LOAD_TEST_DEFAULTS.users
  return checkSettings({
    url: request.url,
    connections,
    threads:
      request.threads ??
      Math.min(
        LOAD_TEST_DEFAULTS.threads,
        Number.isInteger(connections) && connections > 0 ? connections : LOAD_TEST_DEFAULTS.threads,
      ),
    durationSeconds: request.duration ?? LOAD_TEST_DEFAULTS.durationSeconds,
    timeoutSeconds: request.timeout ?? LOAD_TEST_DEFAULTS.timeoutSeconds,
  })
}

/** Throws LoadTestError ("invalid-target", "invalid-option" or "over-limit") unless every setting is in bounds. */
export function checkSettings(settings: WrkSettings): WrkSettings {
  checkTarget(settings.url)
  bounded("--users", settings.connections, LOAD_TEST_LIMITS.connections, "connections")
  bounded("--duration", settings.durationSeconds, LOAD_TEST_LIMITS.durationSeconds, "seconds")
  bounded("--threads", settings.threads, LOAD_TEST_LIMITS.threads, "threads")
  bounded("--timeout", settings.timeoutSeconds, LOAD_TEST_LIMITS.timeoutSeconds, "seconds")
  if (settings.threads > settings.connections) {
    throw new LoadTestError(
      "invalid-option",
      `--threads ${settings.threads} is more than --users ${settings.connections}; wrk needs at least one connection per thread`,
    )
  }
  return settings
}

function bounded(option: string, value: number, limit: number, unit: string): void {
  if (!Number.isInteger(value) || value < 1)
    throw new LoadTestError("invalid-option", `${option} ${value} must be a whole number from 1 to ${limit}`)
  if (value > limit)
    throw new LoadTestError(
      "over-limit",
      `${option} ${value} is over the limit of ${limit} ${unit}; load tests stay bounded`,
      { limit },
    )
}
