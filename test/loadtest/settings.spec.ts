/**
 * What a load test will do: defaults, bounds and the exact wrk argv. Every refusal is asserted
 * with its code and whole message, table-driven.
 */
import { expect } from "chai"
import { installWrk, wrkArgv } from "../../core/loadtest/argv.js"
import { LOAD_TEST_DEFAULTS, LOAD_TEST_LIMITS } from "../../core/loadtest/limits.js"
import { type LoadTestRequest, type WrkSettings, planLoadTest } from "../../core/loadtest/settings.js"
import { type Refusal, refusal } from "./support.js"

const URL = "http://127.0.0.1:8080/"

describe("load test settings and wrk argv", () => {
  it("defaults stay small: 10 users, 10 s, 2 threads, 2 s timeout; bounds are 300 s and 1000 connections", () => {
    expect(LOAD_TEST_DEFAULTS).to.deep.equal({ users: 10, durationSeconds: 10, threads: 2, timeoutSeconds: 2 })
    expect(LOAD_TEST_LIMITS).to.deep.equal({ durationSeconds: 300, connections: 1000, threads: 64, timeoutSeconds: 60 })
    expect(planLoadTest({ url: URL })).to.deep.equal({
      url: URL,
      connections: 10,
      threads: 2,
      durationSeconds: 10,
      timeoutSeconds: 2,
    })
  })

  it("never plans more threads than users by default; keeps what was asked otherwise", () => {
    expect(planLoadTest({ url: URL, users: 1 })).to.deep.equal({
      url: URL,
      connections: 1,
      threads: 1,
      durationSeconds: 10,
      timeoutSeconds: 2,
    })
    expect(planLoadTest({ url: URL, users: 1000, duration: 300, threads: 8, timeout: 60 })).to.deep.equal({
      url: URL,
      connections: 1000,
      threads: 8,
      durationSeconds: 300,
      timeoutSeconds: 60,
    })
  })

  it("builds the whole wrk argv: --latency always, bounded duration and timeout, the script, the URL last and unchanged", () => {
    const settings: WrkSettings = {
      url: "https://app.example.test:8443/health?x=1",
      connections: 25,
      threads: 4,
      durationSeconds: 5,
      timeoutSeconds: 3,
    }
    expect(wrkArgv(settings, "/tmp/p95.lua")).to.deep.equal([
      "wrk",
      "--latency",
      "--connections",
      "25",
      "--threads",
      "4",
      "--duration",
      "5s",
      "--timeout",
      "3s",
      "--script",
      "/tmp/p95.lua",
      "https://app.example.test:8443/health?x=1",
    ])
    expect(wrkArgv(planLoadTest({ url: URL }))).to.deep.equal([
      "wrk",
      "--latency",
      "--connections",
      "10",
      "--threads",
      "2",
      "--duration",
      "10s",
      "--timeout",
      "2s",
      URL,
    ])
  })

  it("installs wrk from Debian in one step that names no target", () => {
    expect(installWrk()).to.deep.equal([
      "sh",
      "-c",
      "apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null && rm -rf /var/lib/apt/lists/*",
    ])
  })

  const refused: [string, LoadTestRequest, Refusal][] = [
    [
      "duration over 300 s",
      { url: URL, duration: 301 },
      {
        code: "over-limit",
        message: "--duration 301 is over the limit of 300 seconds; load tests stay bounded",
        limit: 300,
      },
    ],
    [
      "users over 1000",
      { url: URL, users: 1001 },
      {
        code: "over-limit",
        message: "--users 1001 is over the limit of 1000 connections; load tests stay bounded",
        limit: 1000,
      },
    ],
    [
      "threads over 64",
      { url: URL, users: 100, threads: 65 },
      {
        code: "over-limit",
        message: "--threads 65 is over the limit of 64 threads; load tests stay bounded",
        limit: 64,
      },
    ],
    [
      "timeout over 60 s",
      { url: URL, timeout: 61 },
      {
        code: "over-limit",
        message: "--timeout 61 is over the limit of 60 seconds; load tests stay bounded",
        limit: 60,
      },
    ],
    [
      "zero duration",
      { url: URL, duration: 0 },
      { code: "invalid-option", message: "--duration 0 must be a whole number from 1 to 300", limit: undefined },
    ],
    [
      "fractional users",
      { url: URL, users: 2.5 },
      { code: "invalid-option", message: "--users 2.5 must be a whole number from 1 to 1000", limit: undefined },
    ],
    [
      "NaN duration",
      { url: URL, duration: Number.NaN },
      { code: "invalid-option", message: "--duration NaN must be a whole number from 1 to 300", limit: undefined },
    ],
    [
      "more threads than users",
      { url: URL, users: 2, threads: 4 },
      {
        code: "invalid-option",
        message: "--threads 4 is more than --users 2; wrk needs at least one connection per thread",
        limit: undefined,
      },
    ],
    [
      "a bad target",
      { url: "ftp://127.0.0.1/" },
      {
        code: "invalid-target",
        message: "--url ftp://127.0.0.1/ must start with http:// or https:// (lower case); wrk speaks HTTP only",
        limit: undefined,
      },
    ],
  ]
  for (const [name, request, expected] of refused) {
    it(`refuses ${name}`, async () => {
      expect(await refusal(() => planLoadTest(request))).to.deep.equal(expected)
    })
  }

  it("wrkArgv checks its settings too, so no caller can build an unbounded run", async () => {
    expect(
      await refusal(() => wrkArgv({ url: URL, connections: 10, threads: 2, durationSeconds: 3600, timeoutSeconds: 2 })),
    ).to.deep.equal({
      code: "over-limit",
      message: "--duration 3600 is over the limit of 300 seconds; load tests stay bounded",
      limit: 300,
    })
  })
})
