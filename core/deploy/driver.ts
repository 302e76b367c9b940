/**
 * What the deploy engine asks of an orchestrator, and nothing about how it answers. Deploy,
 * rollback, scale and status hold a `Driver` and never ask which one: the compose driver
 * (containers on one host), the swarm driver (a stack per colour) and any later one (Kubernetes)
 * each implement this whole interface, and `driverFor` (session.ts) picks one by
 * `deploy.driver`. A release is named by what the driver lists in webContainers(): containers
 * for compose, services for swarm.
 */
import type { EnvironmentConfig } from "../config/schema.js"
import type { ExecResult, Executor } from "../exec/types.js"
import type { Timing } from "../time/clock.js"
import type { ContainerHealth, ContainerUsage } from "./container-stats.js"
import type { ProjectContainer, WebContainer } from "./host-state.js"
import type { Colour, ProjectNames } from "./names.js"
import type { Release } from "./release.js"

/** What a driver is made from: the executor its commands go through, the project's names, the environment. */
export interface DriverTarget {
  executor: Executor
  names: ProjectNames
  config: EnvironmentConfig
  /** The clock and sleep of waits inside the driver (a drain before a stop). */
  timing: Timing
}

/** A one-off container of a release: its role label, its name (after the project's), extra labels. */
export interface OneOffContainer {
  role: string
  name: string
  labels?: Record<string, string>
}

/** The host before any release runs: what preflight, the migrations read and the migrate step need. */
export interface ReleaseHost {
  readonly names: ProjectNames
  serverVersion(): Promise<string>
  /** The release's image on the host: there already, or pulled by its digest. */
  ensureImage(image: string): Promise<"present" | "pulled">
  imageUser(image: string): Promise<string>
  /** Creates the project network unless it exists; true when it did (removeNetwork undoes it). */
  ensureNetwork(): Promise<boolean>
  removeNetwork(): Promise<void>
  /** Runs `command` once in a container of the release on the project network, with the app's settings and secrets. */
  runInRelease(
    release: Release,
    container: OneOffContainer,
    command: readonly string[],
    env?: Record<string, string>,
  ): Promise<ExecResult>
  /** Runs deploy.migrations.command once, with the deploy's timeouts. */
  migrate(release: Release, deployId: number): Promise<ExecResult>
}

/** One ledger phase of a multi-step change: its name and the work, which returns the phase's detail. */
export interface PhaseStep {
  phase: string
  run(): Promise<string>
}

/** More replicas of the live release, started but not yet given traffic. */
export interface ScaleUp {
  /** What the health gate probes (as probeHosts takes them). */
  targets: string[]
  /** The boot phase's detail. */
  detail: string
  /** Takes the new replicas away again when they fail the gate. */
  undo(): Promise<void>
  /** Why web kept its count, said when the gate failed (the gate's report follows). */
  refusal: string
  /** What gives them traffic once healthy (under the lock); none when the orchestrator's DNS does. */
  then: PhaseStep[]
}

/** How the driver changes the live release's replica count; scale.ts runs it under the lock. */
export interface LiveScaling {
  /** The live release as the scale row records it. */
  first: WebContainer
  /** How many replicas serve now. */
  from: number
  /** Fewer replicas: the phases, in order. */
  down(to: number): PhaseStep[]
  /** More replicas: starts them (the boot phase's work). */
  up(to: number): Promise<ScaleUp>
}

/** What status shows of the host: every project container, the web ones' release labels, and which serve live traffic. */
export interface HostView {
  containers: ProjectContainer[]
  web: WebContainer[]
  /** Names (of `containers`) behind the live route. */
  live: ReadonlySet<string>
}

export interface Driver extends ReleaseHost {
  /** How a rollback that reused a kept release says so. */
  readonly keptRelease: string
  /** The project network and the proxy (and whatever else the orchestrator needs), created once. */
  ensureInfrastructure(): Promise<string[]>
  /** The releases on the host, from their labels (running, or kept for a fast rollback). */
  webContainers(): Promise<WebContainer[]>
  /** Which of `web` the proxy really sends live traffic to: the truth after an interrupted deploy. */
  liveContainers(web: readonly WebContainer[]): Promise<WebContainer[]>
  /** Starts the release in `colour`; returns the names route, start, stop and remove take. */
  boot(release: Release, colour: Colour, deployId: number, existing: readonly WebContainer[]): Promise<string[]>
  /** The host names the health gate probes, one per replica of the booted names. */
  probeHosts(booted: readonly string[], timing: Timing): Promise<string[]>
  /**
   * Points live traffic at `live`. `fallback` is the release that served before, still running
   * through the watch window: where the proxy has backup servers (compose's HAProxy) it takes
   * every request `live` cannot answer; the swarm driver serves it on the preview port instead.
   */
  route(live: readonly string[], fallback: readonly string[]): Promise<void>
  /** After a good watch: the route keeps only `live`, so the fallback can be stopped. */
  dropFallback(live: readonly string[]): Promise<void>
  /** Starts kept releases again (the fast rollback). */
  start(names: readonly string[]): Promise<void>
  /** Stops releases and keeps them for a fast rollback. */
  stop(names: readonly string[]): Promise<void>
  /**
   * Keeps releases (out of the route) running for `ms`, after which they stop themselves; returns
   * those it could not time, which the caller stops now. Where the driver cannot, it returns them all.
   */
  keepWarm(names: readonly string[], ms: number): Promise<string[]>
  /** Cancels the window of warm releases about to serve again; returns those whose timer could not be cancelled. */
  cancelWarm(names: readonly string[]): Promise<string[]>
  remove(names: readonly string[]): Promise<void>
  /** How to scale the live release (`live` is non-empty; `web` is what webContainers() listed). */
  scaling(live: readonly WebContainer[], web: readonly WebContainer[]): LiveScaling
  hostView(): Promise<HostView>
  /** Health, state, CPU and memory of the given containers (stats only for running ones). */
  figures(
    names: readonly string[],
    running: readonly string[],
  ): Promise<{ health: ContainerHealth[]; usage: ContainerUsage[] }>
}
