/**
 * `npm run bench:deploy`: what a client that never retries sees while releases change, ours against
 * the tools people use, in one run on the same Docker engine, the same app image and limits, and
 * the same load (test/helpers/load.ts NO_RETRY: concurrency 8, GET and POST alternating, every
 * third request on a new connection, the rest kept-open; a reset, a refused connection or a non-200
 * answer is a failed request, never retried).
 *
 * Ours (compose driver, HAProxy switched through its runtime API; the watch window 3 s):
 *   - BENCH_SWITCHES consecutive deploys (v1 ⇄ v2), each a gate, a switch, a watch and a retire;
 *   - BENCH_ROLLBACKS rollbacks to the kept previous release (its containers stopped: cold), then
 *     as many with deploy.keep_warm (the previous release still running: warm);
 *   - BENCH_DEATHS deploys whose new release is killed as its watch starts (docker kill).
 * Anchors:
 *   - Docker Swarm: `docker service update` (start-first, health-checked, 5 s monitor) the same
 *     number of times, then `docker service rollback`, a dnsrr service behind Caddy dialling
 *     tasks.<service> (this kernel has no IPVS, so no VIP: test/spike/SWARM-NOTES.md);
 *   - a Compose-style recreate: `docker rm -f` then `docker run` of the app container behind the
 *     same Caddy, dialling it by its network alias (what `docker compose up -d` does to a changed
 *     service).
 * Prints requests, failed requests, failed per 1,000 operations, and the median seconds per
 * operation; for rollbacks, ours to serving ÷ `docker service rollback`.
 */
import { execFile, execFileSync } from "node:child_process"
import { promisify } from "node:util"
import { deploy } from "../core/deploy/deploy.js"
import { readHistory } from "../core/deploy/inspect.js"
import { LABEL } from "../core/deploy/names.js"
import { rollback } from "../core/deploy/rollback.js"
import { freePort } from "../test/helpers/deploy-env.js"
import { type DeployFixture, deployFixture } from "../test/helpers/deploy-fixture.js"
import { NO_RETRY, type RequestRecord, failures, underLoad } from "../test/helpers/load.js"
import { killInWatch } from "../test/helpers/kill-in-watch.js"
import { ensureSwarm } from "../test/helpers/swarm.js"
import { median } from "./process-time.js"

const SWITCHES = Number(process.env.BENCH_SWITCHES ?? 20)
const ROLLBACKS = Number(process.env.BENCH_ROLLBACKS ?? 5)
const DEATHS = Number(process.env.BENCH_DEATHS ?? 3)
const LOAD = { ...NO_RETRY, requests: 0, deadlineMs: 1_800_000 }

interface Measured {
  label: string
  /** Seconds each operation took (ours: until the release served, and in all). */
  seconds: number[]
  records: RequestRecord[]
}

const docker = (...args: string[]) =>
  execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim()
const dockerAsync = async (...args: string[]) =>
  (await promisify(execFile)("docker", args, { encoding: "utf8" })).stdout.trim()
const quietly = (...args: string[]) => {
  try {
    docker(...args)
  } catch {
    // already gone
  }
}
const elapsed = (started: number) => (performance.now() - started) / 1000

/** Runs `operations` one after another under one continuous load; each returns its seconds. */
async function measured(label: string, url: string, operations: (() => Promise<number>)[]): Promise<Measured> {
  const seconds: number[] = []
  const { load } = await underLoad({ url, ...LOAD }, async () => {
    for (const operation of operations) seconds.push(await operation())
  })
  return { label, seconds, records: load.records }
}

async function waitFor(url: string, body: string): Promise<void> {
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      if ((await (await fetch(url)).text()).trim() === body) return
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} never answered ${body}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

interface Ours {
  measured: Measured[]
  /** Each warm rollback's switch phase, from the ledger: from the start of its switch until the target serves. */
  warmSwitchMs: number[]
  /** Seconds from each kill until the release from before answered a request sent after it. */
  deathsServing: number[]
}

/** Ours: consecutive deploys, rollbacks to the kept release, and releases killed after their switch. */
async function ours(f: DeployFixture): Promise<Ours> {
  const warmSwitchMs: number[] = []
  const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`
  const version = (i: number) => (i % 2 === 0 ? "v2" : "v1")
  await deploy({ env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "bench" }, await f.engine())
  const deploys = await measured(
    `ours: ${SWITCHES} deploys v1 ⇄ v2 (gate, switch, 3 s watch, retire)`,
    url,
    Array.from({ length: SWITCHES }, (_, i) => async () => {
      const started = performance.now()
      const outcome = await deploy(
        { env: f.env, image: f.images.app[version(i)]!, version: version(i), requestedBy: "bench" },
        await f.engine(),
      )
      if (outcome.result !== "succeeded") throw new Error(`deploy ${i + 1} ${outcome.result}: ${outcome.summary}`)
      return elapsed(started)
    }),
  )
  const rollbacks = await measured(
    `ours: ${ROLLBACKS} rollbacks to the kept previous release (seconds until it serves)`,
    url,
    Array.from({ length: ROLLBACKS }, () => async () => {
      const outcome = await rollback({ env: f.env, requestedBy: "bench" }, await f.engine())
      return outcome.seconds
    }),
  )
  // Warm: with deploy.keep_warm each rollback leaves the release it replaced running, so the next goes back to it warm.
  const warmEnv = { ...f.env, config: { ...f.env.config, deploy: { ...f.env.config.deploy, keep_warm: 600_000 } } }
  await rollback({ env: warmEnv, requestedBy: "bench" }, await f.engine(warmEnv))
  const warm = await measured(
    `ours: ${ROLLBACKS} rollbacks to the warm previous release, deploy.keep_warm (seconds until it serves)`,
    url,
    Array.from({ length: ROLLBACKS }, () => async () => {
      const outcome = await rollback({ env: warmEnv, requestedBy: "bench" }, await f.engine(warmEnv))
      if (!outcome.warm) throw new Error(`a rollback inside the keep_warm window was not warm: ${outcome.summary}`)
      const [record] = await readHistory(warmEnv, await f.engine(warmEnv), 1)
      warmSwitchMs.push(record!.phases.find((p) => p.step === "switch")!.ms)
      return outcome.seconds
    }),
  )
  // Deaths: the release being deployed is killed as its watch starts; the deploy switches back.
  const live = (await (await fetch(url)).text()).trim() as "v1" | "v2"
  const next = live === "v1" ? "v2" : "v1"
  const killedAt: number[] = []
  const deaths = await measured(
    `ours: ${DEATHS} releases killed as their watch starts (switched back; seconds in all)`,
    url,
    Array.from({ length: DEATHS }, () => async () => {
      const engine = await f.engine()
      const { killed } = killInWatch(engine, `label=${LABEL.digest}=${f.images.app[next]}`)
      const started = performance.now()
      const outcome = await deploy(
        { env: f.env, image: f.images.app[next]!, version: next, requestedBy: "bench" },
        engine,
      )
      const at = await killed()
      if (at !== undefined) killedAt.push(at)
      if (outcome.result !== "rolled_back")
        throw new Error(`a killed release was not switched back: ${outcome.summary}`)
      return elapsed(started)
    }),
  )
  // After each kill: how long until a request sent after it was answered by the release from before.
  const oldServing = killedAt.map((at) => {
    const first = deaths.records.find((r) => r.startedAt >= at && r.body === live)
    return first ? (first.endedAt - at) / 1000 : Number.NaN
  })
  console.error(
    `after each kill, the release from before answered in: ${oldServing.map((s) => `${s.toFixed(3)} s`).join(", ")}`,
  )
  return { measured: [deploys, rollbacks, warm, deaths], warmSwitchMs, deathsServing: oldServing }
}

interface Anchor {
  images: { v1: string; v2: string; caddy: string }
  limits: { cpus: number; memory: string }
}

/** Caddy on `network`, dialling `upstream` (resolved per connection), published on a free port; returns its URL. */
async function caddyFront(name: string, network: string, upstream: string, image: string): Promise<string> {
  const port = await freePort()
  const config = JSON.stringify({
    admin: { listen: "localhost:2019" },
    apps: {
      http: {
        servers: {
          live: {
            listen: [":80"],
            routes: [{ handle: [{ handler: "reverse_proxy", upstreams: [{ dial: upstream }] }] }],
          },
        },
      },
    },
  })
  docker(
    "run",
    "-d",
    "--name",
    name,
    "--network",
    network,
    "-p",
    `127.0.0.1:${port}:80`,
    image,
    "sh",
    "-c",
    `printf '%s' '${config}' > /tmp/c.json && caddy run --config /tmp/c.json`,
  )
  return `http://127.0.0.1:${port}/`
}

/** Docker Swarm's own rolling update and rollback, start-first, behind Caddy. */
async function swarmService({ images, limits }: Anchor): Promise<Measured[]> {
  const name = `dpbench${process.pid}`
  const network = `${name}-ov`
  const leave = ensureSwarm()
  try {
    docker("network", "create", "--driver", "overlay", "--attachable", network)
    docker("tag", images.v1, `${name}-app:v1`)
    docker("tag", images.v2, `${name}-app:v2`)
    docker(
      "service",
      "create",
      "--detach=false",
      "--quiet",
      ...["--name", name, "--network", network, "--endpoint-mode", "dnsrr", "--env", "APP_VERSION=v1"],
      ...["--update-order", "start-first", "--update-failure-action", "rollback", "--update-monitor", "5s"],
      ...["--rollback-order", "start-first", "--limit-cpu", String(limits.cpus), "--limit-memory", limits.memory],
      "--no-resolve-image",
      `${name}-app:v1`,
    )
    const url = await caddyFront(`${name}-proxy`, network, `tasks.${name}:8000`, images.caddy)
    await waitFor(url, "v1")
    const version = (i: number) => (i % 2 === 0 ? "v2" : "v1")
    const updates = await measured(
      `swarm: ${SWITCHES} docker service update, start-first (health-checked, 5 s monitor)`,
      url,
      Array.from({ length: SWITCHES }, (_, i) => async () => {
        const started = performance.now()
        await dockerAsync(
          ...["service", "update", "--detach=false", "--quiet", "--image", `${name}-app:${version(i)}`],
          ...["--env-add", `APP_VERSION=${version(i)}`, "--no-resolve-image", name],
        )
        return elapsed(started)
      }),
    )
    const rollbacks = await measured(
      `swarm: ${ROLLBACKS} docker service rollback`,
      url,
      Array.from({ length: ROLLBACKS }, () => async () => {
        const started = performance.now()
        await dockerAsync("service", "rollback", "--detach=false", "--quiet", name)
        return elapsed(started)
      }),
    )
    return [updates, rollbacks]
  } finally {
    quietly("rm", "-f", `${name}-proxy`)
    quietly("service", "rm", name)
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    quietly("network", "rm", network)
    quietly("rmi", `${name}-app:v1`, `${name}-app:v2`)
    leave()
  }
}

/** What `docker compose up -d` does to a changed service: the old container removed, the new one run, behind Caddy. */
async function composeRecreate({ images, limits }: Anchor): Promise<Measured> {
  const name = `dprecreate${process.pid}`
  const network = `${name}-net`
  const run = (image: string, version: string) =>
    dockerAsync(
      ...["run", "-d", "--name", `${name}-app`, "--network", network, "--network-alias", "app"],
      ...["--cpus", String(limits.cpus), "--memory", limits.memory, "--env", `APP_VERSION=${version}`, image],
    )
  try {
    docker("network", "create", network)
    await run(images.v1, "v1")
    const url = await caddyFront(`${name}-proxy`, network, "app:8000", images.caddy)
    await waitFor(url, "v1")
    const version = (i: number) => (i % 2 === 0 ? "v2" : "v1")
    return await measured(
      `compose-style recreate: ${SWITCHES} × docker rm -f, then docker run`,
      url,
      Array.from({ length: SWITCHES }, (_, i) => async () => {
        const started = performance.now()
        await dockerAsync("rm", "-f", `${name}-app`)
        await run(images[version(i)], version(i))
        await waitFor(url, version(i))
        return elapsed(started)
      }),
    )
  } finally {
    quietly("rm", "-f", `${name}-proxy`, `${name}-app`)
    quietly("network", "rm", network)
  }
}

function row(m: Measured): string {
  const failed = failures(m.records).length
  const perThousand = ((failed / m.seconds.length) * 1000).toFixed(0)
  return `| ${m.label} | ${m.records.length} | ${failed} | ${perThousand} | ${median(m.seconds).toFixed(2)} |`
}

async function main(): Promise<void> {
  const f = await deployFixture("benchdeploy", {
    overrides: { health: { watch: "3s", interval: "500ms", healthy_threshold: 2 } },
  })
  const anchor: Anchor = {
    images: { v1: f.images.app.v1!, v2: f.images.app.v2!, caddy: f.images.caddy },
    limits: f.env.config.runtime.resources.limits,
  }
  let ourRun: Ours
  try {
    ourRun = await ours(f)
  } finally {
    await f.cleanup()
  }
  const swarm = await swarmService(anchor)
  const recreate = await composeRecreate(anchor)
  const { measured: mine, warmSwitchMs, deathsServing } = ourRun
  const all = [...mine, ...swarm, recreate]
  console.log(
    "Deploy benchmark: one run, same Docker engine, app image and limits; a load that never retries (concurrency 8, GET and POST, new and kept-open connections)",
  )
  console.log("")
  console.log("| operations | requests | failed | failed per 1,000 operations | median seconds per operation |")
  console.log("|---|---|---|---|---|")
  for (const m of all) console.log(row(m))
  console.log("")
  const [deploys, rollbacks, warm] = mine
  console.log(
    `warm rollback, its switch (ledger phase): median ${median(warmSwitchMs).toFixed(0)} ms, longest ${Math.max(...warmSwitchMs).toFixed(0)} ms (goal: serving ≤ 1 s after the switch starts)`,
  )
  console.log(
    `after a release died in its watch window, the release from before answered in: ${deathsServing.map((s) => `${s.toFixed(3)} s`).join(", ")} (goal ≤ 1 s)`,
  )
  console.log(
    `ours, ${SWITCHES} consecutive deploys: ${failures(deploys!.records).length} failed of ${deploys!.records.length} requests`,
  )
  const swarmRollback = median(swarm[1]!.seconds)
  for (const [kind, m] of [
    ["cold", rollbacks!],
    ["warm", warm!],
  ] as const)
    console.log(
      `rollback, ${kind}: ours until serving ${median(m.seconds).toFixed(2)} s ÷ docker service rollback ${swarmRollback.toFixed(2)} s = ${(median(m.seconds) / swarmRollback).toFixed(2)}`,
    )
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
