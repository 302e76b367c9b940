/**
 * `npm run bench:deploy`: our blue-green deploy and rollback, with each driver (compose, and swarm:
 * a stack per colour on the same single-node swarm), against Docker Swarm's own
 * `docker service update` (order start-first) and `docker service rollback`, side by side in one
 * run on the same engine, each under the same keep-alive load through a Caddy proxy.
 *
 * The anchor: a single-node swarm, the app as a service with the CPU and memory limits our
 * replicas get (so the app answers at the same rate on both sides), endpoint_mode dnsrr (this kernel has
 * no IPVS, so no VIP and no routing mesh; see test/spike/SWARM-NOTES.md) behind the same Caddy
 * image, dialling tasks.<service>. Swarm waits for the image's HEALTHCHECK before it stops the old
 * task and watches for --update-monitor (5 s); our watch window is set to the same 5 s.
 * Printed: seconds to deploy and to roll back, requests failed (after the one retry a browser or
 * curl makes on a reset connection) and retried, and ratios ours ÷ swarm.
 */
import { execFile, execFileSync } from "node:child_process"
import { promisify } from "node:util"
import { deploy } from "../src/deploy/deploy.js"
import { rollback } from "../src/deploy/rollback.js"
import { type DeployFixture, deployFixture } from "../test/helpers/deploy-fixture.js"
import { projectNames } from "../src/deploy/names.js"
import { freePort } from "../test/helpers/deploy-env.js"
import { ensureSwarm, removeStacks } from "../test/helpers/swarm.js"
import { type LoadResult, failures, retried, underLoad } from "../test/helpers/load.js"

interface Measured {
  seconds: number
  load: LoadResult
}

const docker = (...args: string[]) =>
  execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim()
/** Asynchronous, so the load generator keeps running while swarm works. */
const dockerAsync = async (...args: string[]) =>
  (await promisify(execFile)("docker", args, { encoding: "utf8" })).stdout.trim()

/** The same load on every side: keep-alive, concurrency 8, on until the work ends. */
const measure = async (url: string, work: () => Promise<unknown>): Promise<Measured> =>
  underLoad({ url, requests: 200, concurrency: 8, deadlineMs: 180_000 }, work)

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

/** Our deploy and rollback with one driver: compose (containers) or swarm (a stack per colour). */
async function ours(driver: "compose" | "swarm"): Promise<{ deploy: Measured; rollback: Measured }> {
  const f: DeployFixture = await deployFixture(`bench${driver}`, {
    overrides: { deploy: { driver }, health: { watch: "5s", interval: "1s", healthy_threshold: 2 } },
  })
  const project = projectNames(f.env.config.app.name, f.env.name).project
  try {
    const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`
    await deploy({ env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "bench" }, await f.engine())
    const engine = await f.engine()
    const deployed = await measure(url, () =>
      deploy({ env: f.env, image: f.images.app.v2!, version: "v2", requestedBy: "bench" }, engine),
    )
    const rolledBack = await measure(url, async () => rollback({ env: f.env, requestedBy: "bench" }, await f.engine()))
    await waitFor(url, "v1")
    return { deploy: deployed, rollback: rolledBack }
  } finally {
    if (driver === "swarm") await removeStacks(project)
    await f.cleanup()
  }
}

/** The same CPU and memory limits our web replicas get, so the app answers at the same rate on both sides. */
interface Limits {
  cpus: number
  memory: string
}

async function swarm(
  images: { v1: string; v2: string; caddy: string },
  limits: Limits,
): Promise<{ deploy: Measured; rollback: Measured }> {
  const name = `dpbench${process.pid}`
  const network = `${name}-ov`
  const port = await freePort()
  const joined = docker("info", "--format", "{{.Swarm.LocalNodeState}}") === "active"
  if (!joined) docker("swarm", "init", "--advertise-addr", "127.0.0.1")
  try {
    docker("network", "create", "--driver", "overlay", "--attachable", network)
    docker("tag", images.v1, `${name}-app:v1`)
    docker("tag", images.v2, `${name}-app:v2`)
    docker(
      "service",
      "create",
      "--detach=false",
      "--quiet",
      "--name",
      name,
      "--network",
      network,
      "--endpoint-mode",
      "dnsrr",
      "--env",
      "APP_VERSION=v1",
      "--update-order",
      "start-first",
      "--update-failure-action",
      "rollback",
      "--update-monitor",
      "5s",
      "--rollback-order",
      "start-first",
      "--limit-cpu",
      String(limits.cpus),
      "--limit-memory",
      limits.memory,
      "--no-resolve-image",
      `${name}-app:v1`,
    )
    const config = JSON.stringify({
      admin: { listen: "localhost:2019" },
      apps: {
        http: {
          servers: {
            live: {
              listen: [":80"],
              routes: [{ handle: [{ handler: "reverse_proxy", upstreams: [{ dial: `tasks.${name}:8000` }] }] }],
            },
          },
        },
      },
    })
    docker(
      "run",
      "-d",
      "--name",
      `${name}-proxy`,
      "--network",
      network,
      "-p",
      `127.0.0.1:${port}:80`,
      images.caddy,
      "sh",
      "-c",
      `printf '%s' '${config}' > /tmp/c.json && caddy run --config /tmp/c.json`,
    )
    const url = `http://127.0.0.1:${port}/`
    await waitFor(url, "v1")
    const deployed = await measure(url, () =>
      dockerAsync(
        "service",
        "update",
        "--detach=false",
        "--quiet",
        "--image",
        `${name}-app:v2`,
        "--env-add",
        "APP_VERSION=v2",
        "--no-resolve-image",
        name,
      ),
    )
    await waitFor(url, "v2")
    const rolledBack = await measure(url, () => dockerAsync("service", "rollback", "--detach=false", "--quiet", name))
    await waitFor(url, "v1")
    return { deploy: deployed, rollback: rolledBack }
  } finally {
    for (const args of [
      ["rm", "-f", `${name}-proxy`],
      ["service", "rm", name],
      ["network", "rm", network],
      ["rmi", `${name}-app:v1`, `${name}-app:v2`],
    ]) {
      try {
        docker(...args)
      } catch {
        // already gone
      }
    }
    if (!joined) {
      docker("swarm", "leave", "--force")
      try {
        docker("network", "rm", "docker_gwbridge")
      } catch {
        // not created
      }
    }
  }
}

function row(label: string, m: Measured): string {
  const { records } = m.load
  return `| ${label} | ${m.seconds.toFixed(2)} | ${records.length} | ${Math.round(records.length / m.seconds)} | ${failures(records).length} | ${retried(records).length} |`
}

async function main(): Promise<void> {
  const a = await ours("compose")
  const leaveSwarm = ensureSwarm()
  let s: { deploy: Measured; rollback: Measured }
  try {
    s = await ours("swarm")
  } finally {
    leaveSwarm()
  }
  const f = await deployFixture("benchimg")
  const images = { v1: f.images.app.v1!, v2: f.images.app.v2!, caddy: f.images.caddy }
  const { limits } = f.env.config.runtime.resources
  await f.cleanup()
  const b = await swarm(images, limits)
  const ratio = (x: number, y: number) => (y === 0 ? "n/a" : (x / y).toFixed(2))
  const failed = (m: Measured) => failures(m.load.records).length
  console.log(
    "Deploy benchmark: one run, same Docker engine, same load (keep-alive, concurrency 8, one retry on a reset connection)",
  )
  console.log("")
  console.log("| | seconds | requests | requests/s | failed | retried after reset |")
  console.log("|---|---|---|---|---|---|")
  console.log(row("ours, compose: deploy v1→v2 (gate + switch + 5 s watch)", a.deploy))
  console.log(row("ours, swarm driver: deploy v1→v2 (stack per colour, gate + switch + 5 s watch)", s.deploy))
  console.log(row("swarm: service update start-first (health + 5 s monitor)", b.deploy))
  console.log(row("ours, compose: rollback to v1 (kept containers)", a.rollback))
  console.log(row("ours, swarm driver: rollback to v1 (kept service scaled up)", s.rollback))
  console.log(row("swarm: service rollback", b.rollback))
  console.log("")
  console.log(
    `deploy time ÷ swarm service update: compose ${ratio(a.deploy.seconds, b.deploy.seconds)}, swarm driver ${ratio(s.deploy.seconds, b.deploy.seconds)}`,
  )
  console.log(
    `rollback time ÷ swarm service rollback: compose ${ratio(a.rollback.seconds, b.rollback.seconds)}, swarm driver ${ratio(s.rollback.seconds, b.rollback.seconds)}`,
  )
  console.log(
    `failed requests: ours compose ${failed(a.deploy) + failed(a.rollback)}, ours swarm ${failed(s.deploy) + failed(s.rollback)}, swarm service update ${failed(b.deploy) + failed(b.rollback)}`,
  )
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
