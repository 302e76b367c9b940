/**
 * The swarm driver: blue-green across a swarm. Each colour is its own stack (`<project>-blue`,
 * `<project>-green`) holding one `web` service, deployed with `docker stack deploy`; the proxy is
 * the same Caddy container as the compose driver's, on the manager the CLI talks to, attached to
 * an attachable overlay network that reaches tasks on every node. Caddy dials
 * `tasks.<service>` (DNS round-robin, re-read every second), so the switch is still one atomic
 * `caddy reload`, never a mixed-version rolling window, and the idle colour is scaled to zero
 * (its spec kept) for a fast rollback.
 *
 * Swarm's part: scheduling replicas over the nodes, restarting failed tasks, and admitting a task
 * to DNS only once the image's HEALTHCHECK passes. Ours: the gate on each task from the proxy,
 * the switch, the watch window and the switch back.
 */
import type { Upstreams } from "../docker/caddy.js"
import { STACK_ENV, colourStackFile, failedTasks, inspectServices, listServices, overlayNetworkCreate, serviceScale, serviceTasks, stackDeploy, stackRemove, swarmState } from "../docker/stack.js"
import type { Timing } from "../time/clock.js"
import { waitHealthy } from "../health/wait-healthy.js"
import { appEnvironment } from "./app-env.js"
import { ComposeDriver } from "./compose.js"
import { DeployError } from "./errors.js"
import type { WebContainer } from "./host-state.js"
import { type Colour, LABEL, webLabels } from "./names.js"
import type { Release } from "./release.js"
import { type WebService, convergence, isRunning, parseServices, parseTasks } from "./swarm-state.js"

const STOP_GRACE_SECONDS = 10
/** How often the gate asks swarm whether the tasks run (docker service ps is cheap; every poll saved is gate time saved). */
const CONVERGENCE_POLL_MS = 250
const TASKS_PREFIX = "tasks."

export const colourStack = (project: string, colour: Colour): string => `${project}-${colour}`
export const colourService = (project: string, colour: Colour): string => `${colourStack(project, colour)}_web`
/** The stack a colour's service belongs to ("<stack>_web" → "<stack>"). */
const stackOf = (service: string): string => service.replace(/_web$/, "")

export class SwarmDriver extends ComposeDriver {
  override readonly keptRelease = "its service was kept, scaled to 0, and scaled back up"

  protected override networkCreate(name: string, labels: Record<string, string>): string[] {
    return overlayNetworkCreate(name, labels)
  }

  /** Refuses a host that is not a swarm manager, then the compose driver's network and proxy. */
  override async ensureInfrastructure(): Promise<string[]> {
    const state = (await this.must("preflight", "cannot read the swarm state", swarmState())).stdout.trim()
    if (state !== "active true") {
      throw new DeployError("preflight", `the Docker host is not a swarm manager (swarm state "${state}"); run docker swarm init there (or join it to the swarm as a manager), or set deploy.driver: compose`)
    }
    return super.ensureInfrastructure()
  }

  /** Both colours' services with their release labels (replicas 0 = kept for a fast rollback). */
  override async webContainers(): Promise<WebService[]> {
    const names = (await this.must("preflight", "cannot list the project's services", listServices(LABEL.project, this.names.project))).stdout.split("\n").map((n) => n.trim()).filter(Boolean)
    if (names.length === 0) return []
    return parseServices((await this.must("preflight", "cannot inspect the project's services", inspectServices(names))).stdout)
  }

  /** The colours' services, whatever task containers this host has. */
  override async releasesFrom(): Promise<WebContainer[]> {
    return this.webContainers()
  }

  /** A task container (service.slot.id) belongs to its service. */
  override releaseNameOf(container: string): string {
    return container.split(".")[0]!
  }

  /** The service Caddy's live route resolves (`tasks.<service>`), if it has replicas. */
  override async liveContainers(web: readonly WebContainer[]): Promise<WebContainer[]> {
    const live = await super.liveContainers(web.map((service) => ({ ...service, name: `${TASKS_PREFIX}${service.name}` })))
    return live.map((service) => ({ ...service, name: service.name.slice(TASKS_PREFIX.length) }))
  }

  /** Deploys the colour's stack with the release; returns its service name. */
  override async boot(release: Release, colour: Colour, deployId: number): Promise<string[]> {
    const { config } = this.host
    const stack = colourStack(this.names.project, colour)
    const file = colourStackFile({
      image: release.image,
      network: this.names.network,
      labels: webLabels(this.names.project, release, colour, deployId),
      env: appEnvironment(config, release),
      secretNames: Object.keys(config.secrets),
      replicas: config.runtime.replicas,
      runtime: config.runtime,
      security: config.security,
      stopGraceSeconds: STOP_GRACE_SECONDS,
    })
    await this.must("boot", `docker stack deploy of ${stack} failed`, stackDeploy(stack), { env: { [STACK_ENV]: JSON.stringify(file) }, secretEnv: Object.keys(config.secrets) })
    return [colourService(this.names.project, colour)]
  }

  override async addReplicas(): Promise<string[]> {
    throw new DeployError("refused", "the swarm driver scales a service in place (SwarmDriver.scaleService), not by adding containers")
  }

  /**
   * Waits (within health.start_deadline) until swarm runs every wanted task of each service and
   * reports it healthy, then names each task for the gate's per-replica probes.
   */
  override async probeHosts(services: readonly string[], timing: Timing): Promise<string[]> {
    const { health, runtime } = this.host.config
    const hosts: string[] = []
    for (const service of services) {
      const inspected = parseServices((await this.must("health-gate", `cannot inspect ${service}`, inspectServices([service]))).stdout)[0]
      const desired = inspected?.replicas ?? runtime.replicas
      let tasks: ReturnType<typeof parseTasks> = []
      await waitHealthy(async () => {
        const started = performance.now()
        tasks = await this.tasks(service)
        const now = convergence(service, desired, tasks, [], Math.round(performance.now() - started))
        if (now.ok) return now
        // Not there yet: say why the last stopped task stopped.
        const stopped = parseTasks((await this.host.executor.run(failedTasks(service))).stdout)
        return convergence(service, desired, tasks, stopped, Math.round(performance.now() - started))
      }, { intervalMs: Math.min(health.interval, CONVERGENCE_POLL_MS), timeoutMs: health.timeout, healthyThreshold: 1, deadlineMs: health.start_deadline }, timing)
      hosts.push(...tasks.filter(isRunning).map((t) => t.host))
    }
    return hosts
  }

  private async tasks(service: string) {
    return parseTasks((await this.must("health-gate", `cannot list the tasks of ${service}`, serviceTasks(service))).stdout)
  }

  /** A route goes to one colour's service: its tasks, by DNS (service names in, not containers). */
  protected override upstreams(services: readonly string[]): Upstreams {
    if (services.length > 1) throw new DeployError("switch", `one service per route; got ${services.join(", ")}`)
    return services[0] ? { dns: `${TASKS_PREFIX}${services[0]}`, port: this.host.config.app.port } : []
  }

  /** Scales kept colours back to runtime.replicas (the fast rollback). */
  override async start(services: readonly string[]): Promise<void> {
    for (const service of services) await this.scaleService(service, this.host.config.runtime.replicas)
  }

  /** Scales colours to zero: their spec stays, so a rollback to them is a scale up. */
  override async stop(services: readonly string[]): Promise<void> {
    for (const service of services) await this.scaleService(service, 0)
  }

  /** Removes colours' stacks (a release that failed its gate, or one pruned). */
  override async remove(services: readonly string[]): Promise<void> {
    for (const service of services) await this.must("boot", `cannot remove the stack of ${service}`, stackRemove(stackOf(service)))
  }

  async scaleService(service: string, replicas: number): Promise<void> {
    await this.must("boot", `cannot scale ${service} to ${replicas}`, serviceScale(service, replicas))
  }
}
