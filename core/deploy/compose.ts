/**
 * The compose driver: one Docker host, web releases as labelled containers on a project bridge
 * network, HAProxy in front (haproxy-route.ts: switched through its runtime API, the previous
 * release as its fallback through the watch window). It only runs docker argv through an
 * executor (via DockerHost), so it works the same on the local engine (the CLI and the tests)
 * and on a remote one (from Dagger).
 */
import * as docker from "../docker/argv.js"
import { cancelWarmTimer, startWarmTimer } from "../docker/keep-warm.js"
import { appEnvironment } from "./app-env.js"
import { DockerHost, releaseHostOf } from "./docker-host.js"
import { HaproxyRoute } from "./haproxy-route.js"
import type { Driver, DriverTarget, LiveScaling } from "./driver.js"
import type { WebContainer } from "./host-state.js"
import { type Colour, webContainerName, webLabels } from "./names.js"
import { type Release, releaseOf } from "./release.js"

/**
 * The name read-migrations.ts and deploy.ts's migrations read still give the driver they read
 * through: any Driver (both drivers read the same way).
 */
export type ComposeDriver = Driver

/** The compose driver: a Docker host and its bridge network. */
export function composeDriver(target: DriverTarget): Driver {
  const host = new DockerHost(target)
  const proxy = new HaproxyRoute(host)
  const { names, config } = host

  async function runReplica(release: Release, colour: Colour, deployId: number, replica: number): Promise<string> {
    const name = webContainerName(names.project, release, replica)
    const argv = docker.runWeb({
      name,
      network: names.network,
      alias: `${names.project}-web-${colour}`,
      labels: webLabels(names.project, release, colour, deployId),
      image: release.image,
      env: appEnvironment(config, release),
      secretNames: Object.keys(config.secrets),
      runtime: config.runtime,
      security: config.security,
    })
    await host.must("boot", `cannot start ${name}`, argv, { secretEnv: Object.keys(config.secrets) })
    return name
  }

  const route = (live: readonly string[], fallback: readonly string[]) => proxy.apply(live, fallback)

  /** The running containers whose addresses the proxy's live route dials. */
  const liveContainers = async (web: readonly WebContainer[]) => {
    const running = web.filter((c) => c.state === "running")
    const live = running.length ? await proxy.liveAddresses() : new Set<string>()
    if (live.size === 0) return []
    const addresses = new Map((await proxy.addresses(running.map((c) => c.name))).map((c) => [c.name, c.address]))
    return running.filter((c) => live.has(addresses.get(c.name) ?? ""))
  }

  /** Scaling adds containers with the lowest free replica numbers and routes them once healthy; down routes first, then removes once the proxy has nothing in flight to them. */
  function scaling(unsorted: readonly WebContainer[], web: readonly WebContainer[]): LiveScaling {
    const live = [...unsorted].sort((a, b) => replicaNumber(a.name) - replicaNumber(b.name))
    const first = live[0]!
    const liveNames = live.map((c) => c.name)
    return {
      first,
      from: live.length,
      down: (to) => {
        const keep = liveNames.slice(0, to)
        const drop = liveNames.slice(to)
        return [
          { phase: "switch", run: () => route(keep, []).then(() => `live → ${keep.join(", ")}`) },
          {
            phase: "retire",
            run: async () => {
              await proxy.drain(drop, target.timing)
              await host.removeContainers(drop)
              return `removed ${drop.join(", ")}`
            },
          },
        ]
      },
      up: async (to) => {
        const taken = new Set(web.map((c) => c.name))
        const release = releaseOf(first.digest, first.version)
        const added: string[] = []
        for (let replica = 1; added.length < to - live.length; replica++) {
          if (!taken.has(webContainerName(names.project, release, replica)))
            added.push(await runReplica(release, first.colour, first.deployId, replica))
        }
        return {
          targets: added,
          detail: added.join(", "),
          undo: () => host.removeContainers(added),
          refusal: `the new replicas never became healthy, so web stays at ${live.length}: ${added.join(", ")} failed`,
          then: [
            { phase: "switch", run: () => route([...liveNames, ...added], []).then(() => `live → ${to} replicas`) },
          ],
        }
      },
    }
  }

  return {
    ...releaseHostOf(host),
    keptRelease: "its containers were still on the host",
    ensureInfrastructure: () => host.ensureInfrastructure(proxy.start),
    webContainers: async () => (await host.hostState()).web,
    liveContainers,
    /** Starts the release's replicas (replacing leftovers of an earlier attempt of the same release). */
    async boot(release, colour, deployId, existing) {
      const leftovers = existing.filter((c) => c.digest === release.digest).map((c) => c.name)
      if (leftovers.length > 0)
        await host.must("boot", "cannot remove an earlier attempt's containers", docker.remove(leftovers))
      const started: string[] = []
      for (let replica = 1; replica <= config.runtime.replicas; replica++)
        started.push(await runReplica(release, colour, deployId, replica))
      return started
    },
    probeHosts: async (replicas) => [...replicas],
    route,
    dropFallback: (live) => route(live, []),
    start: (containers) => host.startContainers(containers),
    // Out of the route already; the requests they are still answering finish before they stop.
    stop: async (containers) => {
      await proxy.drain(containers, target.timing)
      await host.stopContainers(containers)
    },
    remove: (containers) => host.removeContainers(containers),
    keepWarm: (containers, ms) => host.failingOn(containers, (name) => startWarmTimer(name, ms / 1000)),
    cancelWarm: (containers) => host.failingOn(containers, cancelWarmTimer),
    scaling,
    async hostView() {
      const { containers, web } = await host.hostState()
      const live = new Set((await liveContainers(web)).map((c) => c.name))
      return { containers, web, live }
    },
    figures: (all, running) => host.figures(all, running),
  }
}

function replicaNumber(name: string): number {
  return Number(/-(\d+)$/.exec(name)?.[1] ?? 0)
}
