/**
 * Writes the `promtool test rules` file for one generated rule group: input series that sit just
 * below every threshold (all three alerts silent), then, for each alert, series that cross its
 * threshold while the other two stay healthy (that alert pending at `for`, firing after it, with
 * exact labels and annotations). The values are derived from the thresholds, so every tier and
 * every override is tested at its own numbers.
 */
import { stringify } from "yaml"
import { DB_CONNECTION_ERRORS, LATENCY_BUCKET, RESPONSES_BY_STATUS, selector } from "../../core/alerts/metrics.js"
import { ALERT_NAMES, type AlertName, type AlertRule } from "../../core/alerts/rules.js"
import type { AlertThresholds } from "../../core/config/alert-thresholds.js"

/** django-prometheus's default latency buckets (seconds). */
export const DJANGO_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 25, 50, 75] as const

/** Requests a minute in every scenario. */
const PER_MINUTE = 1000
const MINUTE = 60_000

const num = (value: number): string => String(Number(value.toPrecision(12)))

interface Levels {
  /** Upper bound (seconds) of the one bucket every request lands in; Infinity for +Inf. */
  latencyBucket: number
  errorRatio: number
  dbFailuresPerMinute: number
}

/** Healthy but close: the bucket that ends at or below the p95 threshold, 90% of the other two. */
export function below(t: AlertThresholds): Levels {
  const limit = t.response_time.p95_ms / 1000
  const under = DJANGO_BUCKETS.filter((b) => b <= limit)
  if (under.length === 0) throw new Error(`no django bucket ends at or below ${limit}s`)
  return {
    latencyBucket: under[under.length - 1]!,
    errorRatio: t.error_rate.ratio * 0.9,
    dbFailuresPerMinute: t.db_connection.failures_per_minute * 0.9,
  }
}

/** Just over: the bucket that starts at or above the p95 threshold, 10% over the other two (any at all over 0). */
export function above(t: AlertThresholds): Levels {
  const limit = t.response_time.p95_ms / 1000
  const start = DJANGO_BUCKETS.findIndex((b) => b >= limit)
  const r = t.error_rate.ratio
  if (r >= 1) throw new Error("an error-rate threshold of 1 can never be crossed")
  const f = t.db_connection.failures_per_minute
  return {
    latencyBucket: start === -1 ? Infinity : (DJANGO_BUCKETS[start + 1] ?? Infinity),
    errorRatio: r === 0 ? 0.01 : Math.min(r * 1.1, (r + 1) / 2),
    dbFailuresPerMinute: f === 0 ? 1 : f * 1.1,
  }
}

function series(job: string, env: string, levels: Levels, minutes: number): Array<{ series: string; values: string }> {
  const sel = selector(job, env)
  const counter = (labels: string, perMinute: number) => ({
    series: `${labels}`,
    values: `0+${num(perMinute)}x${minutes}`,
  })
  const buckets = [
    ...DJANGO_BUCKETS.map((b) => ({ le: String(b), bound: b as number })),
    { le: "+Inf", bound: Infinity },
  ]
  return [
    ...buckets.map(({ le, bound }) =>
      counter(
        `${LATENCY_BUCKET}{${sel},view="home",method="GET",le="${le}"}`,
        bound >= levels.latencyBucket ? PER_MINUTE : 0,
      ),
    ),
    counter(`${RESPONSES_BY_STATUS}{${sel},status="200"}`, PER_MINUTE * (1 - levels.errorRatio)),
    counter(`${RESPONSES_BY_STATUS}{${sel},status="500"}`, PER_MINUTE * levels.errorRatio),
    counter(`${DB_CONNECTION_ERRORS}{${sel},alias="default",vendor="postgresql"}`, levels.dbFailuresPerMinute),
  ]
}

const KEY: Record<AlertName, keyof AlertThresholds> = {
  HighResponseTime: "response_time",
  HighErrorRate: "error_rate",
  DatabaseConnectionFailure: "db_connection",
}
const LEVEL: Record<AlertName, keyof Levels> = {
  HighResponseTime: "latencyBucket",
  HighErrorRate: "errorRatio",
  DatabaseConnectionFailure: "dbFailuresPerMinute",
}

export interface UnitTestOptions {
  rulesFile: string
  job: string
  env: string
  thresholds: AlertThresholds
  /** The rules as generated: their annotations are what a firing alert must carry. */
  rules: readonly AlertRule[]
  /** The labels each firing alert must have, besides alertname, stated by the spec. */
  labels: Record<string, string>
}

export function promtoolUnitTests(o: UnitTestOptions): string {
  const forMinutes = (name: AlertName) => Math.ceil(o.thresholds[KEY[name]].for / MINUTE)
  const longest = Math.max(...ALERT_NAMES.map(forMinutes))
  const silent = (evalMinutes: number) =>
    ALERT_NAMES.map((alertname) => ({ eval_time: `${evalMinutes}m`, alertname, exp_alerts: [] }))
  const tests: object[] = [
    {
      name: "all below their thresholds: silent",
      interval: "1m",
      input_series: series(o.job, o.env, below(o.thresholds), longest + 10),
      alert_rule_test: silent(longest + 5),
    },
  ]
  for (const name of ALERT_NAMES) {
    const rule = o.rules.find((r) => r.alert === name)
    if (!rule) throw new Error(`the generated rules have no ${name}`)
    const levels: Levels = { ...below(o.thresholds), [LEVEL[name]]: above(o.thresholds)[LEVEL[name]] }
    const minutes = forMinutes(name)
    tests.push({
      name: `${name} above its threshold: pending at for, then firing`,
      interval: "1m",
      input_series: series(o.job, o.env, levels, minutes + 10),
      alert_rule_test: [
        ...(minutes > 0 ? [{ eval_time: `${minutes}m`, alertname: name, exp_alerts: [] }] : []),
        {
          eval_time: `${minutes + 5}m`,
          alertname: name,
          exp_alerts: [{ exp_labels: o.labels, exp_annotations: rule.annotations }],
        },
        ...silent(minutes + 5).filter((t) => t.alertname !== name),
      ],
    })
  }
  return stringify({ rule_files: [o.rulesFile], evaluation_interval: "1m", tests }, { lineWidth: 0 })
}
