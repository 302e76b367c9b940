/**
 * Real-engine proof of the compose driver's switch: Caddy in front of two colours on a
 * user-defined bridge network, the upstream moved from blue (app v1) to green (app v2) through
 * Caddy's admin API while a keep-alive load runs through Caddy's port published on 127.0.0.1.
 *
 * What it shows (figures and method in test/spike/CADDY-SWITCH-NOTES.md): no request fails or
 * is answered by the wrong colour; everything that ended
 * before the switch call was served by v1 and everything that started after it by v2. Every
 * admin API change is a full config reload, POST /load and PATCH alike; a reload closes the
 * connections that are idle at that instant, so a request written into one of them in that
 * instant is reset before any response byte. The load generator retries those once, as browsers,
 * curl and Go's client do (see load.ts), and the spec bounds how many there may be: at most one
 * per connection open at the switch.
 */
import { expect } from "chai"
import {
  APP_PORT,
  CADDY_ADMIN_PORT,
  ensureTestImages,
  requireDocker,
  type TestImages,
} from "../helpers/docker-images.js"
import {
  CADDY_HTTP_PORT,
  RUN_LABEL,
  caddyConfig,
  docker,
  publishedPort,
  removeRun,
  request,
  runPrefix,
  waitFor,
} from "./containers.js"
import { type LoadResult, failures, now, retried, runLoad } from "../helpers/load.js"

const REQUESTS = 1_500
const CONCURRENCY = 8
const DEADLINE_MS = 60_000
/** The switch happens once this many requests have completed. */
const SWITCH_AFTER = 500

interface Switch {
  name: string
  /** Points Caddy's proxy at `colour`; resolves with the admin API's answer. */
  run: (admin: string, colour: string) => ReturnType<typeof request>
}

const SWITCHES: Switch[] = [
  { name: "POST /load (whole config)", run: (admin, colour) => request("POST", `${admin}/load`, caddyConfig(colour)) },
  {
    name: "PATCH /id/web-proxy/upstreams",
    run: (admin, colour) => request("PATCH", `${admin}/id/web-proxy/upstreams`, [{ dial: `${colour}:${APP_PORT}` }]),
  },
]

describe("spike: Caddy blue→green switch on the real Docker engine", function () {
  this.timeout(180_000)
  const prefix = runPrefix("caddy")
  const label = `${RUN_LABEL}=${prefix}`
  const net = `${prefix}-net`
  let images: TestImages
  let admin = ""
  let web = ""

  before(async () => {
    requireDocker()
    images = await ensureTestImages()
    await docker("network", "create", "--label", label, net)
    const app = (colour: string, image: string): Promise<string> =>
      docker(
        "run",
        "-d",
        "--label",
        label,
        "--name",
        `${prefix}-${colour}`,
        "--network",
        net,
        "--network-alias",
        colour,
        "--no-healthcheck",
        image,
      )
    await app("blue", images.app.v1 ?? "")
    await app("green", images.app.v2 ?? "")
    await docker(
      "run",
      "-d",
      "--label",
      label,
      "--name",
      `${prefix}-caddy`,
      "--network",
      net,
      "-p",
      `127.0.0.1::${CADDY_ADMIN_PORT}`,
      "-p",
      `127.0.0.1::${CADDY_HTTP_PORT}`,
      images.caddy,
    )
    admin = `http://127.0.0.1:${await publishedPort(`${prefix}-caddy`, CADDY_ADMIN_PORT)}`
    web = `http://127.0.0.1:${await publishedPort(`${prefix}-caddy`, CADDY_HTTP_PORT)}/`
    await waitFor("Caddy's admin API", async () =>
      (await request("GET", `${admin}/config/`)).status === 200 ? true : undefined,
    )
    for (const [colour, version] of [
      ["blue", "v1"],
      ["green", "v2"],
    ] as const) {
      const health = await waitFor(`${colour} /health/`, async () => {
        const out = await docker(
          "exec",
          `${prefix}-${colour}`,
          "wget",
          "-q",
          "-O",
          "-",
          `http://127.0.0.1:${APP_PORT}/health/`,
        )
        return JSON.parse(out) as { status: string; version: string; timestamp: string }
      })
      expect(health).to.include({ status: "healthy", version })
    }
  })

  after(async () => {
    await removeRun(prefix)
  })

  for (const sw of SWITCHES) {
    it(`switches upstream mid-load with ${sw.name}: ≥1,000 requests, none failed, v1 before and v2 after`, async () => {
      // Start from blue, serving v1.
      const reset = await request("POST", `${admin}/load`, caddyConfig("blue"))
      expect(reset.status, reset.body).to.equal(200)
      await waitFor("Caddy serving blue (v1)", async () =>
        (await request("GET", web)).body.trim() === "v1" ? true : undefined,
      )

      let switchStart = 0
      let switchEnd = 0
      let switching: Promise<void> | undefined
      let answer: Awaited<ReturnType<typeof request>> | undefined
      const load: LoadResult = await runLoad({
        url: web,
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        deadlineMs: DEADLINE_MS,
        // The spike measured Caddy with a client that retries a reset GET once, as browsers do.
        retryConnectionFailures: true,
        onProgress: (completed) => {
          if (completed >= SWITCH_AFTER && !switching) {
            switching = (async () => {
              switchStart = now()
              answer = await sw.run(admin, "green")
              switchEnd = now()
            })()
          }
        },
      })
      await switching
      expect(answer?.status, answer?.body).to.equal(200)

      const { records } = load
      const failed = failures(records)
      const resets = retried(records)
      const before = records.filter((r) => r.endedAt < switchStart)
      const after = records.filter((r) => r.startedAt > switchEnd)
      const during = records.length - before.length - after.length
      const switchMs = switchEnd - switchStart
      console.log(
        `      caddy switch, ${sw.name}: ${records.length} requests in ${Math.round(load.durationMs)} ms ` +
          `(${before.length} before, ${during} during, ${after.length} after), ${failed.length} failed, ` +
          `${resets.length} retried after a connection reset (${resets.filter((r) => r.retriedAfter?.reusedSocket).length} on reused sockets), ` +
          `${load.socketsOpened} sockets, switch call ${switchMs.toFixed(1)} ms`,
      )

      expect(records.length, "requests completed").to.be.at.least(1_000)
      expect(load.notSent, "requests left unsent at the deadline").to.equal(0)
      expect(
        failed.map((r) => `#${r.index}: ${r.error ?? `${r.status} ${r.body}`}`),
        "failed requests",
      ).to.deep.equal([])
      // A reload can cut each connection open at that moment once, and only before any response byte.
      expect(resets.length, "requests retried after a connection reset").to.be.at.most(2 * CONCURRENCY)
      for (const r of resets)
        expect(r.retriedAfter?.gotResponse, `#${r.index} was cut after a response byte`).to.equal(false)
      expect(before.length, "requests finished before the switch").to.be.at.least(SWITCH_AFTER - CONCURRENCY)
      expect(after.length, "requests started after the switch").to.be.at.least(500)
      expect(
        before.filter((r) => r.body !== "v1").map((r) => `#${r.index}: ${r.body}`),
        "served before the switch, not by v1",
      ).to.deep.equal([])
      expect(
        after.filter((r) => r.body !== "v2").map((r) => `#${r.index}: ${r.body}`),
        "served after the switch, not by v2",
      ).to.deep.equal([])
      expect(switchMs, "switch call time").to.be.below(5_000)
    })
  }

  it("leaves green serving and blue warm for a switch back", async () => {
    expect((await request("GET", web)).body.trim()).to.equal("v2")
    const back = await request("POST", `${admin}/load`, caddyConfig("blue"))
    expect(back.status, back.body).to.equal(200)
    expect((await request("GET", web)).body.trim()).to.equal("v1")
  })
})
