/**
 * One Docker host as the drivers use it: the project's argv (built in core/docker/) run through the
 * executor, with a failed command turned into a DeployError that names it. Both Docker drivers are
 * built over one of these (composition): what they share lives here once, and each driver adds
 * only its own way of running a release. Nothing here knows about colours or releases' shapes.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import * as docker from "../docker/argv.js"
import type { ExecOptions, ExecResult, Executor } from "../exec/types.js"
import { appEnvironment } from "./app-env.js"
import {
  type ContainerHealth,
  type ContainerUsage,
  parseHealth,
  parseStats,
  vanishedContainers,
} from "./container-stats.js"
import type { DriverTarget, OneOffContainer, ReleaseHost } from "./driver.js"
import { DeployError, type DeployErrorCode, commandFailure } from "./errors.js"
import { type ProjectContainer, type WebContainer, parseProjectContainers, parseWebContainers } from "./host-state.js"
import { migrationEnvironment } from "./migrate.js"
import { LABEL, type ProjectNames } from "./names.js"
import type { Release } from "./release.js"

export type NetworkCreate = (name: string, labels: Record<string, string>) => string[]

/** How a driver's proxy container starts: its image when deploy.proxy.image is unset, its command, and the variables it starts with. */
export interface ProxyStart {
  defaultImage: string
  command: readonly string[]
  env: Record<string, string>
}

const STOP_TIMEOUT_SECONDS = 10

export class DockerHost {
  readonly executor: Executor
  readonly names: ProjectNames
  readonly config: EnvironmentConfig

  constructor(
    target: DriverTarget,
    /** The argv that creates the project network: a bridge on one host, an attachable overlay on a swarm. */
    private readonly networkCreate: NetworkCreate = docker.networkCreate,
  ) {
    this.executor = target.executor
    this.names = target.names
    this.config = target.config
  }

  run(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return this.executor.run(argv, options)
  }

  /** Runs `argvFor(name)` for each container, one after another; the names where it failed. */
  async failingOn(names: readonly string[], argvFor: (name: string) => readonly string[]): Promise<string[]> {
    const failed: string[] = []
    for (const name of names) if ((await this.run(argvFor(name))).exitCode !== 0) failed.push(name)
    return failed
  }

  /** Runs argv; a non-zero exit becomes a DeployError with the command and what it said. */
  async must(code: DeployErrorCode, what: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const result = await this.executor.run(argv, options)
    if (result.exitCode !== 0) throw new DeployError(code, commandFailure(what, argv, result))
    return result
  }

  async serverVersion(): Promise<string> {
    return (await this.must("preflight", "the Docker host did not answer", docker.dockerVersion())).stdout.trim()
  }

  async imageUser(image: string): Promise<string> {
    return (await this.must("preflight", "cannot inspect the image", docker.imageUser(image))).stdout.trim()
  }

  /** The release's image on the Docker host: there already, or pulled by its digest (a local image ID cannot be pulled). */
  async ensureImage(image: string): Promise<"present" | "pulled"> {
    if ((await this.executor.run(docker.imageId(image))).exitCode === 0) return "present"
    if (/^sha256:/.test(image))
      throw new DeployError(
        "preflight",
        `the image ${image} is not on the Docker host; deploy a repo@sha256:… reference the host can pull, or load the image there`,
      )
    // The pin means exactly the published image arrives.
    await this.must(
      "preflight",
      `the Docker host cannot pull ${image}; check the registry login on that host (docker login) and that publish pushed it`,
      docker.pull(image),
    )
    return "pulled"
  }

  /** Creates the project network unless it exists; true when it did (removeNetwork undoes it). */
  async ensureNetwork(): Promise<boolean> {
    const { network, project } = this.names
    if ((await this.executor.run(docker.networkExists(network))).exitCode === 0) return false
    await this.must(
      "preflight",
      "cannot create the project network",
      this.networkCreate(network, { [LABEL.project]: project }),
    )
    return true
  }

  async removeNetwork(): Promise<void> {
    await this.must("preflight", "cannot remove the project network", docker.networkRemove(this.names.network))
  }

  /** The project network and the proxy, created once and then left alone. */
  async ensureInfrastructure(start: ProxyStart): Promise<string[]> {
    const done: string[] = []
    const { network, proxy, project } = this.names
    if (await this.ensureNetwork()) done.push(`created network ${network}`)
    const state = await this.executor.run(docker.containerState(proxy))
    if (state.exitCode !== 0) {
      const { bind, http_port, preview_port, image } = this.config.deploy.proxy
      const argv = docker.runProxy({
        name: proxy,
        network,
        labels: { [LABEL.project]: project, [LABEL.role]: "proxy" },
        image: image ?? start.defaultImage,
        bind,
        httpPort: http_port,
        previewPort: preview_port,
        command: start.command,
        envNames: Object.keys(start.env),
      })
      await this.must("preflight", "cannot start the proxy", argv, { env: start.env })
      done.push(`started proxy ${proxy} on ${bind}:${http_port}`)
    } else if (state.stdout.trim() !== "running") {
      await this.must("preflight", "cannot start the proxy", docker.start([proxy]))
      done.push(`restarted proxy ${proxy}`)
    }
    return done
  }

  /** Runs deploy.migrations.command once, in the foreground, in a container of the release, with PGOPTIONS timeouts. */
  migrate(release: Release, deployId: number): Promise<ExecResult> {
    const container = {
      role: "migrate",
      name: `migrate-${release.short}-${deployId}`,
      labels: { [LABEL.deployId]: String(deployId) },
    }
    return this.runInRelease(
      release,
      container,
      this.config.deploy.migrations.command,
      migrationEnvironment(this.config),
    )
  }

  /** Runs `command` once in the foreground in a container of the release on the project network (removed when it exits), with the app's settings and secrets. */
  runInRelease(
    release: Release,
    container: OneOffContainer,
    command: readonly string[],
    env: Record<string, string> = {},
  ): Promise<ExecResult> {
    const { config, names } = this
    const argv = docker.runOnce({
      name: `${names.project}-${container.name}`,
      network: names.network,
      labels: {
        [LABEL.project]: names.project,
        [LABEL.role]: container.role,
        [LABEL.digest]: release.digest,
        ...container.labels,
      },
      image: release.image,
      env: { ...appEnvironment(config, release), ...env },
      secretNames: Object.keys(config.secrets),
      command,
      security: config.security,
    })
    return this.executor.run(argv, { secretEnv: Object.keys(config.secrets) })
  }

  /** Every container of the project on the host, and its web containers, from one docker ps. */
  async hostState(): Promise<{ containers: ProjectContainer[]; web: WebContainer[] }> {
    const listed = (
      await this.must(
        "preflight",
        "cannot list the project's containers",
        docker.listContainers(LABEL.project, this.names.project),
      )
    ).stdout
    return { containers: parseProjectContainers(listed), web: parseWebContainers(listed) }
  }

  /** Health, state, CPU and memory of the given containers (stats only for running ones). */
  async figures(
    names: readonly string[],
    running: readonly string[],
  ): Promise<{ health: ContainerHealth[]; usage: ContainerUsage[] }> {
    if (names.length === 0) return { health: [], usage: [] }
    const argv = docker.inspectHealth(names)
    const inspected = await this.executor.run(argv)
    // Containers removed since they were listed are left out, not an error.
    const gone = inspected.exitCode === 0 ? [] : vanishedContainers(inspected.stderr)
    if (gone === null || (inspected.exitCode !== 0 && gone.length === 0))
      throw new DeployError("preflight", commandFailure("cannot inspect containers", argv, inspected))
    const health = parseHealth(inspected.stdout)
    const present = running.filter((name) => !gone.includes(name))
    const usage = present.length
      ? parseStats((await this.must("preflight", "cannot read container stats", docker.stats(present))).stdout)
      : []
    return { health, usage }
  }

  async startContainers(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.must("boot", "cannot start the release's containers", docker.start(names))
  }

  async stopContainers(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.must("boot", "cannot stop containers", docker.stop(names, STOP_TIMEOUT_SECONDS))
  }

  async removeContainers(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.must("boot", "cannot remove containers", docker.remove(names))
  }
}

/** The ReleaseHost part of a Docker driver: the host's own operations, bound to it. */
export function releaseHostOf(host: DockerHost): ReleaseHost {
  return {
    names: host.names,
    serverVersion: () => host.serverVersion(),
    ensureImage: (image) => host.ensureImage(image),
    imageUser: (image) => host.imageUser(image),
    ensureNetwork: () => host.ensureNetwork(),
    removeNetwork: () => host.removeNetwork(),
    runInRelease: (release, container, command, env) => host.runInRelease(release, container, command, env),
    migrate: (release, deployId) => host.migrate(release, deployId),
  }
}
