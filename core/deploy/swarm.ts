/**
 * The swarm driver: blue-green across a swarm. Each colour is its own stack (`<project>-blue`,
 * `<project>-green`) holding one `web` service, deployed with `docker stack deploy`; the proxy is
 * an HAProxy container (swarm-proxy.ts), on the manager the CLI talks to, attached to an
 * attachable overlay network that reaches tasks on every node. Each colour is a server template
 * resolving `tasks.<service>` (re-read every second), so the switch is one atomic change of which
 * colour is ready, through HAProxy's runtime API (no reload, no connection closed), never a
 * mixed-version rolling window; the idle colour is scaled to zero (its spec kept) for a fast
 * rollback.
 *
 * Swarm's part: scheduling replicas over the nodes, restarting failed tasks, and admitting a task
 * to DNS only once the image's HEALTHCHECK passes. Ours: the gate on each task from the proxy,
 * the switch, the watch window and the switch back.
 */
import {
  STACK_ENV,
  colourStackFile,
  failedTasks,
  inspectServices,
  listServices,
  overlayNetworkCreate,
  serviceScale,
  serviceTasks,
  stackDeploy,
  stackRemove,
  swarmState,
} from "../docker/stack.js"
import type { Timing } from "../time/clock.js"
import { waitHealthy } from "../health/wait-healthy.js"
import { appEnvironment } from "./app-env.js"
import { SwarmProxy } from "./swarm-proxy.js"
import { DockerHost, releaseHostOf } from "./docker-host.js"
import type { Driver, DriverTarget, LiveScaling } from "./driver.js"
import { DeployError } from "./errors.js"
import type { WebContainer } from "./host-state.js"
import { COLOURS } from "../docker/haproxy.js"
import { type Colour, LABEL, webLabels } from "./names.js"
import type { Release } from "./release.js"
import { type WebService, convergence, isRunning, parseServices, parseTasks } from "./swarm-state.js"

const STOP_GRACE_SECONDS = 10
/** How often the gate asks swarm whether the tasks run (docker service ps is cheap; every poll saved is gate time saved). */
const CONVERGENCE_POLL_MS = 250

export const colourStack = (project: string, colour: Colour): string => `${project}-${colour}`
export const colourService = (project: string, colour: Colour): string => `${colourStack(project, colour)}_web`
/** The stack a colour's service belongs to ("<stack>_web" → "<stack>"). */
const stackOf = (service: string): string => service.replace(/_web$/, "")
/** A task container (service.slot.id) belongs to its service. */
const serviceOf = (container: string): string => container.split(".")[0]!

/** The swarm driver: a Docker host that is a swarm manager, whose project network is an attachable overlay. */
export function swarmDriver(target: DriverTarget): Driver {
  const host = new DockerHost(target, overlayNetworkCreate)
  const { names, config } = host
  const proxy = new SwarmProxy(host, {
    blue: colourService(names.project, "blue"),
    green: colourService(names.project, "green"),
  })
  /** The colour of a colour's service name (null for none). */
  const colourOf = (services: readonly string[]): Colour | null => {
    if (services.length > 1) throw new DeployError("switch", `one service per route; got ${services.join(", ")}`)
    const colour = services[0] && COLOURS.find((c) => colourService(names.project, c) === services[0])
    if (services[0] && !colour)
      throw new DeployError("switch", `${services[0]} is not a colour service of ${names.project}`)
    return colour || null
  }

  const scaleService = (service: string, replicas: number) =>
    host.must("boot", `cannot scale ${service} to ${replicas}`, serviceScale(service, replicas)).then(() => undefined)

  async function webContainers(): Promise<WebService[]> {
    const listed = (
      await host.must("preflight", "cannot list the project's services", listServices(LABEL.project, names.project))
    ).stdout
    const services = listed
      .split("\n")
      .map((n) => n.trim())
      .filter(Boolean)
    if (services.length === 0) return []
    return parseServices(
      (await host.must("preflight", "cannot inspect the project's services", inspectServices(services))).stdout,
    )
  }

  /** The service of the colour the proxy's live port sends to, if it has replicas. */
  async function liveContainers<T extends WebContainer>(web: readonly T[]): Promise<T[]> {
    if (web.length === 0) return []
    const colour = await proxy.liveColour()
    if (!colour) return []
    return web.filter((service) => service.name === colourService(names.project, colour) && service.state === "running")
  }

  /**
   * Waits (within health.start_deadline) until swarm runs every wanted task of the service and
   * reports it healthy, then names each task for the gate's per-replica probes.
   */
  async function taskHosts(service: string, timing: Timing): Promise<string[]> {
    const { health, runtime } = config
    const inspected = parseServices(
      (await host.must("health-gate", `cannot inspect ${service}`, inspectServices([service]))).stdout,
    )[0]
    const desired = inspected?.replicas ?? runtime.replicas
    const tasks = async () =>
      parseTasks((await host.must("health-gate", `cannot list the tasks of ${service}`, serviceTasks(service))).stdout)
    let seen: Awaited<ReturnType<typeof tasks>> = []
    await waitHealthy(
      async () => {
        const started = performance.now()
        seen = await tasks()
        const now = convergence(service, desired, seen, [], Math.round(performance.now() - started))
        if (now.ok) return now
        // Not there yet: say why the last stopped task stopped.
        const stopped = parseTasks((await host.run(failedTasks(service))).stdout)
        return convergence(service, desired, seen, stopped, Math.round(performance.now() - started))
      },
      {
        intervalMs: Math.min(health.interval, CONVERGENCE_POLL_MS),
        timeoutMs: health.timeout,
        healthyThreshold: 1,
        deadlineMs: health.start_deadline,
      },
      timing,
    )
    return seen.filter(isRunning).map((t) => t.host)
  }

  /** Scaling is the live colour's service in place: more replicas pass the gate or go back; fewer is swarm's own scale-down. */
  function scaling(live: readonly WebContainer[], web: readonly WebContainer[]): LiveScaling {
    const first = live[0]!
    const service = first.name
    const from = (web as readonly WebService[]).find((s) => s.name === service)!.replicas
    const scaled = (to: number) => `${service}: ${from} → ${to}`
    return {
      first,
      from,
      down: (to) => [{ phase: "boot", run: () => scaleService(service, to).then(() => scaled(to)) }],
      up: async (to) => {
        await scaleService(service, to)
        return {
          targets: [service],
          detail: scaled(to),
          undo: () => scaleService(service, from),
          refusal: `the new replicas never became healthy, so ${service} is back at ${from}`,
          then: [],
        }
      },
    }
  }

  return {
    ...releaseHostOf(host),
    keptRelease: "its service was kept, scaled to 0, and scaled back up",
    /** Refuses a host that is not a swarm manager, then the network and the proxy. */
    async ensureInfrastructure() {
      const state = (await host.must("preflight", "cannot read the swarm state", swarmState())).stdout.trim()
      if (state !== "active true") {
        throw new DeployError(
          "preflight",
          `the Docker host is not a swarm manager (swarm state "${state}"); run docker swarm init there (or join it to the swarm as a manager), or set deploy.driver: compose`,
        )
      }
      return host.ensureInfrastructure(proxy.start)
    },
    /** Both colours' services with their release labels (replicas 0 = kept for a fast rollback). */
    webContainers,
    liveContainers,
    /** Deploys the colour's stack with the release; returns its service name. */
    async boot(release: Release, colour: Colour, deployId: number) {
      const stack = colourStack(names.project, colour)
      const file = colourStackFile({
        image: release.image,
        network: names.network,
        labels: webLabels(names.project, release, colour, deployId),
        env: appEnvironment(config, release),
        secretNames: Object.keys(config.secrets),
        replicas: config.runtime.replicas,
        runtime: config.runtime,
        security: config.security,
        stopGraceSeconds: STOP_GRACE_SECONDS,
      })
      await host.must("boot", `docker stack deploy of ${stack} failed`, stackDeploy(stack), {
        env: { [STACK_ENV]: JSON.stringify(file) },
        secretEnv: Object.keys(config.secrets),
      })
      return [colourService(names.project, colour)]
    },
    async probeHosts(services, timing) {
      const hosts: string[] = []
      for (const service of services) hosts.push(...(await taskHosts(service, timing)))
      return hosts
    },
    /** The old colour is the live port's fallback (backup servers) and on the preview port (127.0.0.1), until retire. */
    route: (live, fallback) =>
      proxy.apply({ live: colourOf(live), fallback: colourOf(fallback), preview: colourOf(fallback) }),
    /** The old colour out of the route, before retire scales it to 0. */
    dropFallback: (live) => proxy.apply({ live: colourOf(live), fallback: null, preview: null }),
    /** Scales kept colours back to runtime.replicas (the fast rollback). */
    async start(services) {
      for (const service of services) await scaleService(service, config.runtime.replicas)
    },
    /** Scales colours to zero: their spec stays, so a rollback to them is a scale up. */
    async stop(services) {
      for (const service of services) await scaleService(service, 0)
    },
    /** A swarm service would be rescheduled if its tasks stopped themselves: the old colour is scaled to 0 at retire instead. */
    keepWarm: async (services) => [...services],
    cancelWarm: async () => [],
    /** Removes colours' stacks (a release that failed its gate, or one pruned). */
    async remove(services) {
      for (const service of services)
        await host.must("boot", `cannot remove the stack of ${service}`, stackRemove(stackOf(service)))
    },
    scaling,
    /** Task containers are live when their service is behind the live route. */
    async hostView() {
      const { containers, web } = await host.hostState()
      const live = new Set((await liveContainers(await webContainers())).map((s) => s.name))
      return {
        containers,
        web,
        live: new Set(containers.map((c) => c.name).filter((name) => live.has(serviceOf(name)))),
      }
    },
    figures: (all, running) => host.figures(all, running),
  }
}
