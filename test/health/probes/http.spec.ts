/**
 * The HTTP probe against a real node:http server started here: healthy, 503, wrong version,
 * Host checks like Django's ALLOWED_HOSTS, redirects, non-JSON, slow answers and a closed port.
 */
import { expect } from "chai"
import http from "node:http"
import type { AddressInfo } from "node:net"
import { realSleep, systemTiming } from "../../../core/time/clock.js"
import { HealthGateError } from "../../../core/health/gate-error.js"
import { excerpt, httpProbe } from "../../../core/health/probes/http.js"
import { waitHealthy } from "../../../core/health/wait-healthy.js"
import { closedPort, withoutMs } from "../support/net.js"

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "Content-Type": "application/json" })
  res.end(JSON.stringify(body))
}

describe("health/probes/http", () => {
  let server: http.Server
  let base: string
  const hosts: string[] = []
  let flaky = 0

  before(async () => {
    server = http.createServer((req, res) => {
      hosts.push(req.headers.host ?? "")
      switch (req.url) {
        case "/health/":
          return json(res, 200, { status: "healthy", version: "1.2.3", database: "ok", cache: "ok", queue: "ok" })
        case "/down/":
          return json(res, 503, {
            status: "unhealthy",
            database: "ok",
            cache: "error: connection refused",
            queue: "ok",
          })
        case "/allowed-hosts/":
          // Django answers 400 "Bad Request" for a Host not in ALLOWED_HOSTS.
          if (req.headers.host !== "app.example.com") {
            res.writeHead(400, { "Content-Type": "text/html" })
            return res.end(
              '<!doctype html>\n<html lang="en">\n<head>\n  <title>Bad Request (400)</title>\n</head>\n<body>\n  <h1>Bad Request (400)</h1><p></p>\n</body>\n</html>\n',
            )
          }
          return json(res, 200, { status: "healthy", version: "1.2.3" })
        case "/redirect/":
          res.writeHead(301, { Location: "https://app.example.com/health/" })
          return res.end()
        case "/html/":
          res.writeHead(200, { "Content-Type": "text/html" })
          return res.end("<p>It worked!</p>")
        case "/no-status/":
          return json(res, 200, { ok: true })
        case "/big/":
          return json(res, 200, { status: "healthy", version: "1.2.3", padding: "x".repeat(500) })
        case "/slow/":
          return void setTimeout(() => json(res, 200, { status: "healthy", version: "1.2.3" }), 1500)
        case "/slow-body/":
          res.writeHead(200, { "Content-Type": "application/json" })
          return void res.write('{"status": "heal')
        case "/flaky/":
          return flaky++ < 2
            ? json(res, 503, { status: "starting" })
            : json(res, 200, { status: "healthy", version: "1.2.3" })
        default:
          res.writeHead(404)
          return res.end("not found")
      }
    })
    server.keepAliveTimeout = 100
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  after(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const probe = (path: string, extra: { hostHeader?: string; expectVersion?: string } = {}) =>
    httpProbe({ url: `${base}${path}`, expectStatus: 200, expectVersion: "1.2.3", ...extra })({ timeoutMs: 500 })

  it("passes a healthy answer with the expected version", async () => {
    expect(withoutMs(await probe("/health/"))).to.deep.equal({
      ok: true,
      target: `GET ${base}/health/`,
      status: 200,
      body: '{"status":"healthy","version":"1.2.3","database":"ok","cache":"ok","queue":"ok"}',
    })
  })

  it("passes any version when none is expected", async () => {
    const result = await httpProbe({ url: `${base}/health/`, expectStatus: 200 })({ timeoutMs: 500 })
    expect(result.ok).to.equal(true)
  })

  it("fails a 503 and keeps the body that names the failing dependency", async () => {
    expect(withoutMs(await probe("/down/"))).to.deep.equal({
      ok: false,
      target: `GET ${base}/down/`,
      status: 503,
      body: '{"status":"unhealthy","database":"ok","cache":"error: connection refused","queue":"ok"}',
      failure: "status",
      error: "expected status 200, got 503",
    })
  })

  it("fails a healthy answer from another version", async () => {
    expect(withoutMs(await probe("/health/", { expectVersion: "1.3.0" }))).to.deep.equal({
      ok: false,
      target: `GET ${base}/health/`,
      status: 200,
      body: '{"status":"healthy","version":"1.2.3","database":"ok","cache":"ok","queue":"ok"}',
      failure: "version",
      error: 'version is "1.2.3", expected "1.3.0"',
    })
  })

  it("sends the Host header it is given, so ALLOWED_HOSTS accepts the probe", async () => {
    hosts.length = 0
    const refused = await probe("/allowed-hosts/")
    const allowed = await probe("/allowed-hosts/", { hostHeader: "app.example.com" })
    expect(hosts).to.deep.equal([base.slice("http://".length), "app.example.com"])
    expect(withoutMs(refused)).to.deep.equal({
      ok: false,
      target: `GET ${base}/allowed-hosts/`,
      status: 400,
      body: '<!doctype html> <html lang="en"> <head> <title>Bad Request (400)</title> </head> <body> <h1>Bad Request (400)</h1><p></p> </body> </html>',
      failure: "status",
      error: "expected status 200, got 400",
    })
    expect(withoutMs(allowed)).to.deep.equal({
      ok: true,
      target: `GET ${base}/allowed-hosts/ (Host: app.example.com)`,
      status: 200,
      body: '{"status":"healthy","version":"1.2.3"}',
    })
  })

  it("fails a redirect, a non-JSON body and a body without status", async () => {
    expect(withoutMs(await probe("/redirect/"))).to.deep.equal({
      ok: false,
      target: `GET ${base}/redirect/`,
      status: 301,
      body: "",
      failure: "status",
      error: "expected status 200, got 301",
    })
    expect(withoutMs(await probe("/html/"))).to.deep.equal({
      ok: false,
      target: `GET ${base}/html/`,
      status: 200,
      body: "<p>It worked!</p>",
      failure: "body",
      error: "the body is not JSON",
    })
    expect(withoutMs(await probe("/no-status/"))).to.deep.equal({
      ok: false,
      target: `GET ${base}/no-status/`,
      status: 200,
      body: '{"ok":true}',
      failure: "body",
      error: 'the body has no "status" field',
    })
  })

  it("keeps a 200-character excerpt of a long body", async () => {
    const result = await probe("/big/")
    expect(result.body).to.equal(`{"status":"healthy","version":"1.2.3","padding":"${"x".repeat(151)}…`)
    expect(excerpt("  a \n\t b  ")).to.equal("a b")
  })

  it("fails an answer slower than the timeout, within the timeout", async () => {
    const result = await httpProbe({ url: `${base}/slow/`, expectStatus: 200 })({ timeoutMs: 300 })
    expect(withoutMs(result)).to.deep.equal({
      ok: false,
      target: `GET ${base}/slow/`,
      failure: "timeout",
      error: "no answer within 300ms",
    })
    expect(result.ms).to.be.within(295, 700)
  })

  it("fails a body that stalls after the headers, within the timeout", async () => {
    const result = await httpProbe({ url: `${base}/slow-body/`, expectStatus: 200 })({ timeoutMs: 300 })
    expect(withoutMs(result)).to.deep.equal({
      ok: false,
      target: `GET ${base}/slow-body/`,
      failure: "timeout",
      error: "no answer within 300ms",
    })
    expect(result.ms).to.be.within(295, 700)
  })

  it("fails at once on a closed port", async () => {
    const port = await closedPort()
    const result = await httpProbe({ url: `http://127.0.0.1:${port}/health/`, expectStatus: 200 })({ timeoutMs: 2000 })
    expect(withoutMs(result)).to.deep.equal({
      ok: false,
      target: `GET http://127.0.0.1:${port}/health/`,
      failure: "refused",
      error: "connection refused (ECONNREFUSED)",
    })
    expect(result.ms).to.be.below(500)
  })

  it("refuses a URL it cannot probe", () => {
    expect(() => httpProbe({ url: "https://app.example.com/health/", expectStatus: 200 })).to.throw(
      TypeError,
      "httpProbe takes an http:// URL; got https://app.example.com/health/",
    )
  })

  it("drives the gate with real time: a release that starts answering healthy passes", async () => {
    flaky = 0
    const report = await waitHealthy(
      httpProbe({ url: `${base}/flaky/`, expectStatus: 200, expectVersion: "1.2.3" }),
      { intervalMs: 50, timeoutMs: 500, healthyThreshold: 2, deadlineMs: 2000 },
      systemTiming,
    )
    expect([report.attempts, report.last.map((r) => r.status)]).to.deep.equal([4, [503, 503, 200, 200]])
  })

  it("drives the gate with real time: a release that never answers fails with the last attempts", async () => {
    const port = await closedPort()
    const started = Date.now()
    const err = await waitHealthy(
      httpProbe({ url: `http://127.0.0.1:${port}/health/`, expectStatus: 200 }),
      { intervalMs: 100, timeoutMs: 200, healthyThreshold: 2, deadlineMs: 700 },
      { clock: { now: Date.now }, sleep: realSleep },
    ).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).to.be.instanceOf(HealthGateError)
    const gate = err as HealthGateError
    expect(Date.now() - started).to.be.below(700)
    expect(gate.attempts).to.be.within(4, 6)
    expect(gate.last.map((r) => r.error)).to.deep.equal(
      Array(Math.min(5, gate.attempts)).fill("connection refused (ECONNREFUSED)"),
    )
    expect(gate.next).to.equal(
      "nothing is listening there: check that the new release's container is running (docker ps -a) and why it stopped (docker logs)",
    )
  })
})
