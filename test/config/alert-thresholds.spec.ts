/** Per-tier defaults, overrides key by key, and the messages a bad `alerts:` block gets. */
import { expect } from "chai"
import { AlertsSchema, defaultAlertThresholds, resolveAlertThresholds } from "../../core/config/alert-thresholds.js"
import { explainIssue } from "../../core/config/messages.js"

describe("config/alert-thresholds", () => {
  it("gives each tier its defaults, loosest in development and strictest in production", () => {
    const table = (["development", "testing", "staging", "production"] as const).map((tier) => [
      tier,
      defaultAlertThresholds(tier),
    ])
    expect(table).to.deep.equal([
      [
        "development",
        {
          response_time: { p95_ms: 3000, for: 900_000 },
          error_rate: { ratio: 0.25, for: 900_000 },
          db_connection: { failures_per_minute: 5, for: 900_000 },
        },
      ],
      [
        "testing",
        {
          response_time: { p95_ms: 2000, for: 600_000 },
          error_rate: { ratio: 0.1, for: 600_000 },
          db_connection: { failures_per_minute: 2, for: 600_000 },
        },
      ],
      [
        "staging",
        {
          response_time: { p95_ms: 1000, for: 600_000 },
          error_rate: { ratio: 0.05, for: 300_000 },
          db_connection: { failures_per_minute: 1, for: 300_000 },
        },
      ],
      [
        "production",
        {
          response_time: { p95_ms: 500, for: 300_000 },
          error_rate: { ratio: 0.01, for: 300_000 },
          db_connection: { failures_per_minute: 0, for: 120_000 },
        },
      ],
    ])
  })

  it("hands out copies, so a caller cannot change the table", () => {
    defaultAlertThresholds("production").response_time.p95_ms = 1
    expect(defaultAlertThresholds("production").response_time.p95_ms).to.equal(500)
  })

  it("uses the tier's defaults when the config has no alerts", () => {
    expect(resolveAlertThresholds({ tier: "staging" })).to.deep.equal(defaultAlertThresholds("staging"))
    expect(resolveAlertThresholds({ tier: "staging", alerts: {} })).to.deep.equal(defaultAlertThresholds("staging"))
  })

  it("lays what alerts: writes over the defaults key by key, durations parsed to ms", () => {
    const alerts = AlertsSchema.parse({ response_time: { p95_ms: 800 }, db_connection: { for: "30s" } })
    expect(alerts).to.deep.equal({ response_time: { p95_ms: 800 }, db_connection: { for: 30_000 } })
    expect(resolveAlertThresholds({ tier: "production", alerts })).to.deep.equal({
      response_time: { p95_ms: 800, for: 300_000 },
      error_rate: { ratio: 0.01, for: 300_000 },
      db_connection: { failures_per_minute: 0, for: 30_000 },
    })
  })

  const invalid: Array<[string, unknown, Array<{ path: string; message: string }>]> = [
    [
      "a duration without a unit",
      { response_time: { for: "soon" } },
      [
        {
          path: "response_time.for",
          message: '"soon" is not a duration; write a number with a unit, such as "500ms", "30s", "2m" or "1h"',
        },
      ],
    ],
    [
      "a for: over an hour",
      { error_rate: { for: "2h" } },
      [
        {
          path: "error_rate.for",
          message: '"2h" is longer than 1h; an alert should fire within the hour, so write at most "1h"',
        },
      ],
    ],
    [
      "a ratio over 1",
      { error_rate: { ratio: 5 } },
      [{ path: "error_rate.ratio", message: "5 is out of range; write a number from 0 to 1" }],
    ],
    [
      "a fractional p95",
      { response_time: { p95_ms: 2.5 } },
      [{ path: "response_time.p95_ms", message: "2.5 is not allowed here; write a whole number from 10 to 60000" }],
    ],
    [
      "p95 as a duration",
      { response_time: { p95_ms: "1s" } },
      [{ path: "response_time.p95_ms", message: '"1s" is not allowed here; write a whole number from 10 to 60000' }],
    ],
    [
      "negative failures",
      { db_connection: { failures_per_minute: -1 } },
      [{ path: "db_connection.failures_per_minute", message: "-1 is out of range; write a number from 0 to 1000" }],
    ],
    [
      "a misspelt key",
      { db_connection: { failure_per_minute: 1 } },
      [
        {
          path: "db_connection.failure_per_minute",
          message: 'unknown key "failure_per_minute"; did you mean "failures_per_minute"?',
        },
      ],
    ],
    [
      "an unknown alert",
      { latency: {} },
      [
        {
          path: "latency",
          message: 'unknown key "latency"; remove it, or use one of response_time, error_rate, db_connection',
        },
      ],
    ],
  ]
  for (const [what, input, expected] of invalid) {
    it(`refuses ${what}, with the message config check would print`, () => {
      const result = AlertsSchema.safeParse(input)
      expect(result.success).to.equal(false)
      const explained = result.error!.issues.flatMap((issue) => explainIssue(AlertsSchema, issue, input))
      expect(explained.map((e) => ({ path: e.path.join("."), message: e.message }))).to.deep.equal(expected)
    })
  }
})
