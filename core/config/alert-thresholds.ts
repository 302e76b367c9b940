/**
 * Alert thresholds: how slow, how failing and how disconnected an environment may get before
 * Prometheus alerts. Each tier has defaults (development loose, production strict), and an
 * environment file may override any of them under `alerts:`; `AlertsSchema` is that key's
 * schema fragment, written like the rest of the environments format (snake_case keys, durations
 * as "5m" that parse to milliseconds), so schema.ts adopts it as `alerts: AlertsSchema.optional()`.
 */
import { z } from "zod"
import type { Tier } from "./tier.js"
import { parseDuration } from "./units.js"

/** Longest `for:` accepted: an alert that waits longer than this is not an alert. */
export const MAX_FOR_MS = 3_600_000

/** A duration such as "5m", in milliseconds after parsing; the same words as schema.ts's durations. */
const forDuration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text)
  if (ms === undefined) {
    ctx.addIssue({
      code: "custom",
      message: `"${text}" is not a duration; write a number with a unit, such as "500ms", "30s", "2m" or "1h"`,
      input: text,
    })
    return z.NEVER
  }
  if (ms > MAX_FOR_MS) {
    ctx.addIssue({
      code: "custom",
      message: `"${text}" is longer than 1h; an alert should fire within the hour, so write at most "1h"`,
      input: text,
    })
    return z.NEVER
  }
  return ms
})

/** `alerts:` in an environment file. Every key is optional: what is left out keeps the tier's default. */
export const AlertsSchema = z.strictObject({
  /** HighResponseTime: the 95th percentile of request latency, in milliseconds. */
  response_time: z
    .strictObject({ p95_ms: z.number().int().min(10).max(60_000).optional(), for: forDuration.optional() })
    .optional(),
  /** HighErrorRate: the share of responses that are 5xx, from 0 to 1. */
  error_rate: z.strictObject({ ratio: z.number().min(0).max(1).optional(), for: forDuration.optional() }).optional(),
  /** DatabaseConnectionFailure: failed connection attempts to PostgreSQL per minute. */
  db_connection: z
    .strictObject({ failures_per_minute: z.number().min(0).max(1000).optional(), for: forDuration.optional() })
    .optional(),
})

/** What an environment file wrote under `alerts:` (durations in ms). */
export type AlertsOverrides = z.output<typeof AlertsSchema>

/** Fully resolved thresholds; each alert fires when its value stays *above* the threshold for `for` ms. */
export interface AlertThresholds {
  response_time: { p95_ms: number; for: number }
  error_rate: { ratio: number; for: number }
  db_connection: { failures_per_minute: number; for: number }
}

const MINUTE = 60_000

const DEFAULTS: Record<Tier, AlertThresholds> = {
  development: {
    response_time: { p95_ms: 3000, for: 15 * MINUTE },
    error_rate: { ratio: 0.25, for: 15 * MINUTE },
    db_connection: { failures_per_minute: 5, for: 15 * MINUTE },
  },
  testing: {
    response_time: { p95_ms: 2000, for: 10 * MINUTE },
    error_rate: { ratio: 0.1, for: 10 * MINUTE },
    db_connection: { failures_per_minute: 2, for: 10 * MINUTE },
  },
  staging: {
    response_time: { p95_ms: 1000, for: 10 * MINUTE },
    error_rate: { ratio: 0.05, for: 5 * MINUTE },
    db_connection: { failures_per_minute: 1, for: 5 * MINUTE },
  },
  production: {
    response_time: { p95_ms: 500, for: 5 * MINUTE },
    error_rate: { ratio: 0.01, for: 5 * MINUTE },
    db_connection: { failures_per_minute: 0, for: 2 * MINUTE },
  },
}

/** The tier's defaults: development tolerates a slow laptop, production pages on any lost connection. */
export function defaultAlertThresholds(tier: Tier): AlertThresholds {
  const d = DEFAULTS[tier]
  return {
    response_time: { ...d.response_time },
    error_rate: { ...d.error_rate },
    db_connection: { ...d.db_connection },
  }
}

/**
 * The tier's defaults with the file's overrides on top, key by key. Takes any config with a
 * `tier`, so it works before and after `alerts` is part of `EnvironmentConfig`.
 */
export function resolveAlertThresholds(config: { tier: Tier; alerts?: AlertsOverrides | undefined }): AlertThresholds {
  const d = defaultAlertThresholds(config.tier)
  const o = config.alerts ?? {}
  return {
    response_time: {
      p95_ms: o.response_time?.p95_ms ?? d.response_time.p95_ms,
      for: o.response_time?.for ?? d.response_time.for,
    },
    error_rate: { ratio: o.error_rate?.ratio ?? d.error_rate.ratio, for: o.error_rate?.for ?? d.error_rate.for },
    db_connection: {
      failures_per_minute: o.db_connection?.failures_per_minute ?? d.db_connection.failures_per_minute,
      for: o.db_connection?.for ?? d.db_connection.for,
    },
  }
}
