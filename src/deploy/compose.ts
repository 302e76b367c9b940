/**
 * The compose driver: one Docker host, web releases as labelled containers on a project network,
 * Caddy in front. It only runs docker argv through an executor, so it works the same on the
 * local engine (the CLI and the tests) and on a remote one (from Dagger).
 */
import type { EnvironmentConfig } from "../config/schema.js"
import { IMAGES } from "../constants.js"
import * as docker from "../docker/argv.js"
import { CONFIG_ENV, type Upstreams, caddyConfig, parseLiveUpstreams, readLiveUpstreams, reloadProxy } from "../docker/caddy.js"
import type { ExecOptions, ExecResult, Executor } from "../exec/types.js"
import type { Timing } from "../time/clock.js"
import { appEnvironment } from "./app-env.js"
import { migrationEnvironment } from "./migrate.js"
import { DeployError, type DeployErrorCode, commandFailure } from "./errors.js"
import { type ContainerHealth, type ContainerUsage, parseHealth, parseStats } from "./container-stats.js"
import { type ProjectContainer, type WebContainer, parseProjectContainers, parseWebContainers } from "./host-state.js"
import { type Colour, LABEL, type ProjectNames, webContainerName, webLabels } from "./names.js"
import type { Release } from "./release.js"

export interface ComposeHost {
  executor: Executor
  names: ProjectNames
  config: EnvironmentConfig
}

const STOP_TIMEOUT_SECONDS = 10

export class ComposeDriver {
  constructor(protected readonly host: ComposeHost) {}

  /** How a rollback that reused a kept release says so. */
  readonly keptRelease: string = "its containers were still on the host"

  get names(): ProjectNames {
    return this.host.names
  }

  /** Runs argv; a non-zero exit becomes a DeployError with the command and what it said. */
  async must(code: DeployErrorCode, what: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const result = await this.host.executor.run(argv, options)
    if (result.exitCode !== 0) throw new DeployError(code, commandFailure(what, argv, result))
    return result
  }

  async serverVersion(): Promise<string> {
    return (await this.must("preflight", "the Docker host did not answer", docker.dockerVersion())).stdout.trim()
  }

  async imagePresent(image: string): Promise<boolean> {
    return (await this.host.executor.run(docker.imageId(image))).exitCode === 0
  }

  /** Pulls a release by digest onto the Docker host; the pin means exactly the published image arrives. */
  async pull(image: string): Promise<void> {
    await this.must("preflight", `the Docker host cannot pull ${image}; check the registry login on that host (docker login) and that publish pushed it`, docker.pull(image))
  }

  async imageUser(image: string): Promise<string> {
    return (await this.must("preflight", "cannot inspect the image", docker.imageUser(image))).stdout.trim()
  }

  /** The releases on the host: here its web containers, read from their labels (docker ps). */
  async webContainers(): Promise<WebContainer[]> {
    return parseWebContainers(await this.listProject())
  }

  /** Every container of the project on that host, and its web containers, from one docker ps. */
  async hostState(): Promise<{ containers: ProjectContainer[]; web: WebContainer[] }> {
    const listed = await this.listProject()
    return { containers: parseProjectContainers(listed), web: parseWebContainers(listed) }
  }

  /** webContainers(), given the host's web containers: the same list here; the services under swarm. */
  async releasesFrom(hostWeb: WebContainer[]): Promise<WebContainer[]> {
    return hostWeb
  }

  /** Which of webContainers() a host container belongs to: itself here, its service under swarm. */
  releaseNameOf(container: string): string {
    return container
  }

  private async listProject(): Promise<string> {
    return (await this.must("preflight", "cannot list the project's containers", docker.listContainers(LABEL.project, this.names.project))).stdout
  }

  /** Health, state, CPU and memory of the given containers (stats only for running ones). */
  async figures(names: readonly string[], running: readonly string[]): Promise<{ health: ContainerHealth[]; usage: ContainerUsage[] }> {
    if (names.length === 0) return { health: [], usage: [] }
    const health = parseHealth((await this.must("preflight", "cannot inspect containers", docker.inspectHealth(names))).stdout)
    const usage = running.length ? parseStats((await this.must("preflight", "cannot read container stats", docker.stats(running))).stdout) : []
    return { health, usage }
  }

  /**
   * What the proxy really sends live traffic to: the truth after an interrupted deploy, when the
   * ledger may not know about the last switch. Empty when there is no proxy or no live release.
   */
  async liveContainers(web: readonly WebContainer[]): Promise<WebContainer[]> {
    const result = await this.host.executor.run(readLiveUpstreams(this.names.proxy, this.host.config.deploy.proxy.admin_port))
    if (result.exitCode !== 0) return []
    const names = new Set(parseLiveUpstreams(result.stdout))
    return web.filter((c) => names.has(c.name) && c.state === "running")
  }

  /** The argv that creates the project network: a bridge on one host. */
  protected networkCreate(name: string, labels: Record<string, string>): string[] {
    return docker.networkCreate(name, labels)
  }

  /** The project network and the proxy, created once and then left alone. */
  async ensureInfrastructure(): Promise<string[]> {
    const done: string[] = []
    const { network, proxy, project } = this.names
    if (await this.ensureNetwork()) done.push(`created network ${network}`)
    const state = await this.host.executor.run(docker.containerState(proxy))
    if (state.exitCode !== 0) {
      const { bind, http_port, preview_port, image } = this.host.config.deploy.proxy
      await this.must("preflight", "cannot start the proxy", docker.runProxy({ name: proxy, network, labels: { [LABEL.project]: project, [LABEL.role]: "proxy" }, image: image ?? IMAGES.caddy, bind, httpPort: http_port, previewPort: preview_port }))
      done.push(`started proxy ${proxy} on ${bind}:${http_port}`)
    } else if (state.stdout.trim() !== "running") {
      await this.must("preflight", "cannot start the proxy", docker.start([proxy]))
      done.push(`restarted proxy ${proxy}`)
    }
    return done
  }

  /** Starts the release's replicas (replacing leftovers of an earlier attempt of the same release). */
  async boot(release: Release, colour: Colour, deployId: number, existing: readonly WebContainer[]): Promise<string[]> {
    const leftovers = existing.filter((c) => c.digest === release.digest).map((c) => c.name)
    if (leftovers.length > 0) await this.must("boot", "cannot remove an earlier attempt's containers", docker.remove(leftovers))
    const names: string[] = []
    for (let replica = 1; replica <= this.host.config.runtime.replicas; replica++) names.push(await this.runReplica(release, colour, deployId, replica))
    return names
  }

  /** Starts `count` more replicas of a release, with the lowest replica numbers no container has. */
  async addReplicas(release: Release, colour: Colour, deployId: number, count: number, taken: ReadonlySet<string>): Promise<string[]> {
    const names: string[] = []
    for (let replica = 1; names.length < count; replica++) {
      if (!taken.has(webContainerName(this.names.project, release, replica))) names.push(await this.runReplica(release, colour, deployId, replica))
    }
    return names
  }

  private async runReplica(release: Release, colour: Colour, deployId: number, replica: number): Promise<string> {
    const { config } = this.host
    const name = webContainerName(this.names.project, release, replica)
    await this.must("boot", `cannot start ${name}`, docker.runWeb({
        name,
        network: this.names.network,
        alias: `${this.names.project}-web-${colour}`,
        labels: webLabels(this.names.project, release, colour, deployId),
        image: release.image,
        env: appEnvironment(config, release),
        secretNames: Object.keys(config.secrets),
        runtime: config.runtime,
        security: config.security,
      }), { secretEnv: Object.keys(config.secrets) })
    return name
  }

  /**
   * The host names the health gate probes, one per replica: here the containers themselves. The
   * swarm driver first waits for swarm to report the tasks healthy, then names each task.
   */
  async probeHosts(replicas: readonly string[], _timing: Timing): Promise<string[]> {
    return [...replicas]
  }

  /**
   * Runs the release's migrate command once, in the foreground, in a container of the release on
   * the project network, with the app's settings and secrets and the deploy's timeouts.
   */
  async migrate(release: Release, deployId: number): Promise<ExecResult> {
    const { config } = this.host
    return this.runInRelease(release, { role: "migrate", name: `migrate-${release.short}-${deployId}`, labels: { [LABEL.deployId]: String(deployId) } }, config.deploy.migrations.command, migrationEnvironment(config))
  }

  /** Runs `command` once in the foreground in a container of the release on the project network (removed when it exits), with the app's settings and secrets. */
  async runInRelease(release: Release, container: { role: string; name: string; labels?: Record<string, string> }, command: readonly string[], env: Record<string, string> = {}): Promise<ExecResult> {
    const { config } = this.host
    const argv = docker.runOnce({
      name: `${this.names.project}-${container.name}`,
      network: this.names.network,
      labels: { [LABEL.project]: this.names.project, [LABEL.role]: container.role, [LABEL.digest]: release.digest, ...container.labels },
      image: release.image,
      env: { ...appEnvironment(config, release), ...env },
      secretNames: Object.keys(config.secrets),
      command,
      security: config.security,
    })
    return this.host.executor.run(argv, { secretEnv: Object.keys(config.secrets) })
  }

  /** The release's image on the Docker host: there already, or pulled by its digest (a local image ID cannot be pulled). */
  async ensureImage(image: string): Promise<"present" | "pulled"> {
    if (await this.imagePresent(image)) return "present"
    if (/^sha256:/.test(image)) throw new DeployError("preflight", `the image ${image} is not on the Docker host; deploy a repo@sha256:… reference the host can pull, or load the image there`)
    await this.pull(image)
    return "pulled"
  }

  /** Creates the project network unless it exists; true when it did (removeNetwork undoes it). */
  async ensureNetwork(): Promise<boolean> {
    const { network, project } = this.names
    if ((await this.host.executor.run(docker.networkExists(network))).exitCode === 0) return false
    await this.must("preflight", "cannot create the project network", this.networkCreate(network, { [LABEL.project]: project }))
    return true
  }

  async removeNetwork(): Promise<void> {
    await this.must("preflight", "cannot remove the project network", docker.networkRemove(this.names.network))
  }

  /** Points live traffic at `live` and the preview port at `preview` (container names). */
  async route(live: readonly string[], preview: readonly string[]): Promise<void> {
    const { deploy } = this.host.config
    const config = JSON.stringify(caddyConfig({ adminPort: deploy.proxy.admin_port, live: this.upstreams(live), preview: this.upstreams(preview) }))
    await this.must("switch", "the proxy refused the new routes", reloadProxy(this.names.proxy, deploy.proxy.admin_port), { env: { [CONFIG_ENV]: config } })
  }

  /** Where the proxy sends a route's traffic: each container at the app port. */
  protected upstreams(names: readonly string[]): Upstreams {
    return names.map((name) => `${name}:${this.host.config.app.port}`)
  }

  async start(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.must("boot", "cannot start the release's containers", docker.start(names))
  }

  async stop(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.must("boot", "cannot stop containers", docker.stop(names, STOP_TIMEOUT_SECONDS))
  }

  async remove(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.must("boot", "cannot remove containers", docker.remove(names))
  }
}
