/**
 * runLoadTest for real: Debian's wrk as a child process (the local executor) against node:http
 * servers this spec starts on 127.0.0.1. The figures must be consistent with what the server
 * saw, every request must be for exactly the URL given, the run must end on time, and failures
 * (error statuses, a closed port, no wrk, a refused option) must read as they are.
 */
import { readdirSync } from "node:fs"
import { type Server, createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { expect } from "chai"
import type { Executor } from "../../core/exec/types.js"
import { localExecutor } from "../../core/exec/local.js"
import { loadTestOutcome } from "../../core/commands/load-test-local.js"
import { runLoadTest } from "../../core/loadtest/run.js"
import { FakeDockerHost } from "../helpers/fake-docker-host.js"
import { refusal } from "./support.js"

interface TestServer {
  url: string
  /** "METHOD url host" of every request received. */
  seen: string[]
  close(): Promise<void>
}

async function serve(status: number, body: string, path = "/"): Promise<TestServer> {
  const seen: string[] = []
  const server: Server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url} ${request.headers.host}`)
    response.writeHead(status, { "content-type": "text/plain" }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const scratchDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("deploy-pipeline-wrk-"))

describe("runLoadTest with the local executor (Debian's wrk)", function () {
  this.timeout(30_000)
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it("reports consistent figures for requests that all went to exactly the URL given, within the duration", async () => {
    server = await serve(200, "v1\n", "/load-test/target?run=1")
    const before = scratchDirs()
    const started = performance.now()
    const report = await runLoadTest(localExecutor, { url: server.url, users: 4, duration: 2 })
    const elapsed = (performance.now() - started) / 1000
    console.log(
      `      local node:http server: ${report.requests} requests in ${report.durationSeconds} s, ${report.rps} rps, p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, p99 ${report.latencyMs.p99} ms (wall ${elapsed.toFixed(2)} s)`,
    )
    expect(report.target).to.equal(server.url)
    expect(report.settings).to.deep.equal({ connections: 4, threads: 2, durationSeconds: 2, timeoutSeconds: 2 })
    expect(report.errors).to.deep.equal({ connect: 0, read: 0, write: 0, timeout: 0, status: 0, total: 0 })
    expect(report.requests).to.be.above(100)
    // wrk counts a request when its response is complete; the server may have answered a few more that were in flight at the end.
    expect(server.seen.length).to.be.within(report.requests, report.requests + 4)
    expect(new Set(server.seen)).to.deep.equal(new Set([`GET /load-test/target?run=1 ${new URL(server.url).host}`]))
    // rps is requests over wrk's exact elapsed time; the printed time is rounded to 10 ms.
    expect(Math.abs(report.rps - report.requests / report.durationSeconds) / report.rps).to.be.below(0.01)
    const l = report.latencyMs
    expect([l.p50 <= l.p75, l.p75 <= l.p90, l.p90 <= l.p95, l.p95 <= l.p99, l.p99 <= l.max, l.p50 > 0]).to.deep.equal([
      true,
      true,
      true,
      true,
      true,
      true,
    ])
    expect(report.durationSeconds).to.be.within(2, 2.5)
    expect(elapsed).to.be.below(5)
    expect(scratchDirs()).to.deep.equal(before)
  })

  it("fails the command on error statuses, and counts them", async () => {
    server = await serve(503, "down\n")
    const outcome = await loadTestOutcome(localExecutor, { url: server.url, users: 2, duration: 1 }, { json: true })
    const report = JSON.parse(outcome.text)
    expect(outcome.ok).to.equal(false)
    expect(report.requests).to.be.above(0)
    expect(report.errors).to.deep.equal({
      connect: 0,
      read: 0,
      write: 0,
      timeout: 0,
      status: report.requests,
      total: report.requests,
    })
  })

  it("reports a closed port in wrk's own words", async () => {
    const closed = await serve(200, "")
    await closed.close()
    const { port } = new URL(closed.url)
    expect(await loadTestOutcome(localExecutor, { url: closed.url, duration: 1 }, { json: false })).to.deep.equal({
      ok: false,
      code: "wrk-failed",
      text: `wrk exited 1 against ${closed.url}: unable to connect to 127.0.0.1:${port} Connection refused`,
    })
  })

  it("says how to install wrk when it cannot be started", async () => {
    const noWrk: Executor = {
      run: (argv, options) => localExecutor.run(["/nonexistent/bin/wrk", ...argv.slice(1)], options),
    }
    expect(await refusal(() => runLoadTest(noWrk, { url: "http://127.0.0.1:9/", duration: 1 }))).to.deep.equal({
      code: "wrk-missing",
      message: "wrk is not installed here: run ci/setup/wrk.sh as root (Debian: apt-get install -y wrk)",
      limit: undefined,
    })
  })

  it("runs nothing for a refused request", async () => {
    const recording = new FakeDockerHost()
    expect(
      await loadTestOutcome(recording, { url: "http://127.0.0.1:8080/", duration: 600 }, { json: false }),
    ).to.deep.equal({
      ok: false,
      code: "over-limit",
      text: "--duration 600 is over the limit of 300 seconds; load tests stay bounded",
    })
    expect(await loadTestOutcome(recording, { url: "file:///etc/passwd" }, { json: true })).to.deep.equal({
      ok: false,
      json: true,
      text: `{\n  "error": {\n    "code": "invalid-target",\n    "message": "--url file:///etc/passwd must start with http:// or https:// (lower case); wrk speaks HTTP only"\n  }\n}`,
    })
    expect(recording.calls).to.deep.equal([])
  })
})
