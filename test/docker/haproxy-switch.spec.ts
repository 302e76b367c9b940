/**
 * The HAProxy route on the real engine: two upstreams (test/fixtures/proxy/backend.py, answering
 * GET and POST with their name), the proxy from haproxy.sh, and the route changed only through
 * the runtime API (applyRoute). The load never retries: every connection error and every status
 * other than 200 is a failed request. This proves the proxy half of issue #15: a switch closes no
 * connection, and a release that dies behind the route costs no request while its fallback is in
 * the route.
 */
import { execFileSync } from "node:child_process"
import { expect } from "chai"
import {
  COMMANDS_ENV,
  CONFIG_ENV,
  type Route,
  type Upstream,
  commandLines,
  haproxyConfig,
  parseRuntimeReply,
  proxyCommand,
  routeCommands,
  runtimeCommands,
  saveConfig,
} from "../../core/docker/haproxy.js"
import { parseServersState, proxyState, readProxyState } from "../../core/docker/haproxy-state.js"
import { localExecutor } from "../../core/exec/local.js"
import { DOCKER } from "../helpers/docker-images.js"
import { BACKEND_SCRIPT, HAPROXY_IMAGE, PYTHON_BASE_IMAGE, ensureHaproxyImage } from "../helpers/haproxy-image.js"
import { type RequestRecord, failures, runLoad, underLoad } from "../helpers/load.js"

const PREFIX = "dp-haproxy-switch-spec"
const NETWORK = PREFIX
const PROXY = `${PREFIX}-proxy`
const SETTINGS = { slots: 2, connectTimeoutMs: 1000, serverTimeoutMs: 30_000 }

const docker = (...args: string[]): string =>
  execFileSync(DOCKER, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim()
const quietly = (...args: string[]): void => {
  try {
    docker(...args)
  } catch {
    // absent already
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts an upstream and waits until it answers, as a deploy's gate would before routing to it. */
async function startBackend(name: string): Promise<Upstream> {
  const container = `${PREFIX}-${name}`
  docker(
    "run",
    "--detach",
    "--name",
    container,
    "--network",
    NETWORK,
    "--env",
    `NAME=${name}`,
    "--volume",
    `${BACKEND_SCRIPT}:/backend.py:ro`,
    PYTHON_BASE_IMAGE,
    "python3",
    "/backend.py",
  )
  const probe = [
    "exec",
    container,
    "python3",
    "-c",
    "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/', timeout=1)",
  ]
  for (let i = 0; ; i++) {
    try {
      docker(...probe)
      break
    } catch (error) {
      if (i === 50) throw error
      await sleep(100)
    }
  }
  const address = docker(
    "container",
    "inspect",
    "--format",
    `{{(index .NetworkSettings.Networks "${NETWORK}").IPAddress}}`,
    container,
  )
  return { address, port: 8000 }
}

/** The proxy's live port as published on 127.0.0.1 (a restart publishes it anew). */
const liveUrl = (): string => `http://${docker("port", PROXY, "80/tcp").split("\n")[0]}/`

async function apply(route: Route): Promise<void> {
  const applied = await localExecutor.run(runtimeCommands(PROXY), {
    env: { [COMMANDS_ENV]: commandLines(routeCommands(route, SETTINGS.slots)) },
  })
  expect({
    exitCode: applied.exitCode,
    stderr: applied.stderr,
    reply: parseRuntimeReply(applied.stdout),
  }).to.deep.equal({ exitCode: 0, stderr: "", reply: { ok: true } })
  const saved = await localExecutor.run(saveConfig(PROXY), { env: { [CONFIG_ENV]: haproxyConfig(SETTINGS, route) } })
  expect({ exitCode: saved.exitCode, stderr: saved.stderr }).to.deep.equal({ exitCode: 0, stderr: "" })
}

async function state() {
  const result = await localExecutor.run(readProxyState(PROXY))
  expect(result.exitCode, result.stderr).to.equal(0)
  return proxyState(parseServersState(result.stdout))
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url)
  return { status: response.status, body: (await response.text()).trim() }
}

/** Polls until the proxy answers (it starts in well under a second; the bound is for a loaded machine). */
async function waitForProxy(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await get(url)
      return
    } catch {
      await sleep(100)
    }
  }
  throw new Error(`the proxy did not answer on ${url}`)
}

const summary = (records: RequestRecord[]) => ({
  failed: failures(records).map((r) => `${r.method} ${r.reusedSocket ? "kept-open" : "new"}: ${r.error ?? r.status}`),
  served: [...new Set(records.filter((r) => r.status === 200).map((r) => r.body))].sort(),
})

describe("HAProxy runtime-API route (real engine, a load that never retries)", function () {
  this.timeout(300_000)
  let url = ""
  let blue: Upstream
  let green: Upstream

  before(async () => {
    await ensureHaproxyImage()
    for (const name of ["proxy", "blue", "green"]) quietly("rm", "--force", `${PREFIX}-${name}`)
    quietly("network", "rm", NETWORK)
    docker("network", "create", NETWORK)
    blue = await startBackend("blue")
    green = await startBackend("green")
    docker(
      "run",
      "--detach",
      "--name",
      PROXY,
      "--network",
      NETWORK,
      "--publish",
      "127.0.0.1::80",
      "--env",
      `${CONFIG_ENV}=${haproxyConfig(SETTINGS)}`,
      HAPROXY_IMAGE,
      ...proxyCommand(),
    )
    url = liveUrl()
    await waitForProxy(url)
  })

  after(() => {
    for (const name of ["proxy", "blue", "green"]) quietly("rm", "--force", `${PREFIX}-${name}`)
    quietly("network", "rm", NETWORK)
  })

  it("answers 503 before any route, then serves the route it was given and reads it back", async () => {
    expect(await get(url)).to.deep.equal({ status: 503, body: "no release is live yet" })
    await apply({
      live: { colour: "blue", upstreams: [blue] },
      fallback: null,
      preview: { colour: "green", upstreams: [green] },
    })
    expect(await get(url)).to.deep.equal({ status: 200, body: "blue" })
    expect(await state()).to.deep.equal({
      route: {
        live: { colour: "blue", upstreams: [blue] },
        fallback: null,
        preview: { colour: "green", upstreams: [green] },
      },
      down: [],
      mixed: [],
    })
  })

  it("switches 20 times under load, kept-open and new connections, GET and POST, and no request fails", async () => {
    const routes: Route[] = [
      { live: { colour: "green", upstreams: [green] }, fallback: { colour: "blue", upstreams: [blue] }, preview: null },
      { live: { colour: "blue", upstreams: [blue] }, fallback: { colour: "green", upstreams: [green] }, preview: null },
    ]
    const { load } = await underLoad(
      {
        url,
        requests: 2000,
        concurrency: 8,
        deadlineMs: 120_000,
        retryConnectionFailures: false,
        methods: ["GET", "POST"],
        freshConnectionEvery: 3,
      },
      async () => {
        for (let i = 0; i < 20; i++) {
          await apply(routes[i % 2]!)
          await sleep(250)
        }
      },
    )
    console.log(
      `      ${load.records.length} requests over 20 switches, ${load.socketsOpened} connections opened, ${failures(load.records).length} failed`,
    )
    expect(summary(load.records)).to.deep.equal({ failed: [], served: ["blue", "green"] })
    expect(load.records.some((r) => r.reusedSocket && r.method === "POST")).to.equal(true)
    expect(load.records.some((r) => !r.reusedSocket && r.method === "GET")).to.equal(true)
  })

  it("sends every request to the fallback when the live release dies, and names the dead slot", async () => {
    await apply({
      live: { colour: "green", upstreams: [green] },
      fallback: { colour: "blue", upstreams: [blue] },
      preview: null,
    })
    const { load } = await underLoad(
      {
        url,
        requests: 1500,
        concurrency: 8,
        deadlineMs: 120_000,
        retryConnectionFailures: false,
        methods: ["GET", "POST"],
        freshConnectionEvery: 3,
      },
      async () => {
        await sleep(500)
        docker("kill", `${PREFIX}-green`)
        await sleep(1500)
      },
    )
    expect(summary(load.records)).to.deep.equal({ failed: [], served: ["blue", "green"] })
    const after = await state()
    expect(after.down.map((s) => `${s.backend}/${s.colour}${s.replica}${s.fallback ? "-fallback" : ""}`)).to.deep.equal(
      ["live/green1"],
    )
    expect(await get(url)).to.deep.equal({ status: 200, body: "blue" })
  })

  it("comes back from a restart serving the last route it was given", async () => {
    docker("rm", "--force", `${PREFIX}-green`)
    green = await startBackend("green")
    await apply({ live: { colour: "green", upstreams: [green] }, fallback: null, preview: null })
    docker("restart", "--time", "1", PROXY)
    url = liveUrl()
    await waitForProxy(url)
    expect(await get(url)).to.deep.equal({ status: 200, body: "green" })
    expect((await state()).route).to.deep.equal({
      live: { colour: "green", upstreams: [green] },
      fallback: null,
      preview: null,
    })
  })

  it("reports what HAProxy refuses", async () => {
    const result = await localExecutor.run(runtimeCommands(PROXY), {
      env: {
        [COMMANDS_ENV]: `set server live/purple1 state ready; set server live/blue1 addr not-an-address port 8000`,
      },
    })
    expect(parseRuntimeReply(result.stdout)).to.deep.equal({
      ok: false,
      refusals: ["No such server.", "Invalid addr 'not-an-address' by 'stats socket command'"],
    })
    expect(await get(url)).to.deep.equal({ status: 200, body: "green" })
    const unchanged = await runLoad({
      url,
      requests: 50,
      concurrency: 2,
      deadlineMs: 30_000,
      retryConnectionFailures: false,
    })
    expect(failures(unchanged.records)).to.deep.equal([])
  })
})
