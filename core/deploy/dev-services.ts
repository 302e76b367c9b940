/**
 * Brings up a development deploy's own Postgres, Memcached and RabbitMQ on the Docker host, at
 * the edge: for each service of the plan (dev-services-plan.ts), inspect its container and reuse
 * it if it runs, start it if it stopped, run it if it is missing; then read the port the engine
 * published on 127.0.0.1 and wait until the service does real work there (a Postgres login to
 * the database, an AMQP login with a channel, a Memcached set/get; the probes of core/health).
 *
 * It returns each service's two views: the app's (alias:port on the environment's network) and
 * the deployer's (127.0.0.1:published, for the ledger, preflight and notifications: pass
 * `reach` as EngineDeps.reach). All docker commands go through the one Executor; the passwords
 * reach `docker run` by name through a secret store, never in argv or a log line.
 */
import * as docker from "../docker/argv.js"
import {
  inspectDevService,
  parseDevServiceState,
  parsePublishedPort,
  publishedPort,
  runDevService,
} from "../docker/dev-services.js"
import { withSecrets } from "../exec/with-secrets.js"
import type { ExecResult, Executor } from "../exec/types.js"
import { formatDuration } from "../config/units.js"
import { backoff } from "../health/backoff.js"
import type { Timing } from "../time/clock.js"
import { nextStep } from "../health/hints.js"
import { retryUntilDeadline } from "../health/retry.js"
import { serviceProbes } from "../health/services.js"
import type { Address, Reach } from "./deployer-services.js"
import { DevServiceError } from "./dev-service-error.js"
import type { DevServicePlan, DevServicesPlan } from "./dev-services-plan.js"
import { LABEL } from "./names.js"

export interface DevServicesOptions {
  timing: Timing
  /** One line per service and step; never a password. */
  log: (line: string) => void
  /** How long each service may take to become ready, from when its container runs (default 120 s: a first RabbitMQ boot is slow). */
  deadlineMs?: number
  /** One probe attempt's limit (default 5 s). */
  attemptTimeoutMs?: number
  /** Delays between probe attempts (default 250 ms doubling to 2 s, 20 % jitter). */
  backoff?: { intervalMs: number; factor: number; maxMs: number; jitter: number }
  random?: () => number
}

export type DevServiceAction = "reused" | "started" | "created"

export interface DevServiceEndpoint {
  service: DevServicePlan["service"]
  container: string
  /** The container's full id. */
  id: string
  image: string
  action: DevServiceAction
  /** alias:port on the environment's network. */
  app: Address
  /** 127.0.0.1:published on the Docker host. */
  deployer: Address
  /** Probe attempts until it was ready, and how long they took. */
  attempts: number
  readyMs: number
}

export interface DevServicesResult {
  network: string
  services: DevServiceEndpoint[]
  /** The deployer's view, as EngineDeps.reach takes it. */
  reach: Reach
}

const DEFAULTS = {
  deadlineMs: 120_000,
  attemptTimeoutMs: 5000,
  backoff: { intervalMs: 250, factor: 2, maxMs: 2000, jitter: 0.2 },
}

export async function ensureDevServices(
  executor: Executor,
  plan: DevServicesPlan,
  options: DevServicesOptions,
): Promise<DevServicesResult> {
  await ensureNetwork(executor, plan, options.log)
  const settled = await Promise.allSettled(plan.services.map((service) => ensureOne(executor, service, plan, options)))
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected")
  if (failed) throw failed.reason
  const services = settled.map((s) => (s as PromiseFulfilledResult<DevServiceEndpoint>).value)
  return {
    network: plan.network,
    services,
    reach: Object.fromEntries(services.map((s) => [s.service, s.deployer])) as Reach,
  }
}

async function ensureNetwork(executor: Executor, plan: DevServicesPlan, log: (line: string) => void): Promise<void> {
  if ((await executor.run(docker.networkExists(plan.network))).exitCode === 0) return
  const argv = docker.networkCreate(plan.network, { [LABEL.project]: plan.project })
  const result = await executor.run(argv)
  // Another deploy may have created it meanwhile: that is as good.
  if (result.exitCode !== 0 && (await executor.run(docker.networkExists(plan.network))).exitCode !== 0) {
    throw dockerFailure(
      "services",
      plan.network,
      `network ${plan.network}`,
      `cannot create the environment's network: \`${argv.join(" ")}\` exited ${result.exitCode}`,
      result,
      "check that the Docker host answers (docker info) and has address pools left (docker network ls)",
    )
  }
  log(`services: created network ${plan.network}`)
}

async function ensureOne(
  executor: Executor,
  plan: DevServicePlan,
  all: DevServicesPlan,
  options: DevServicesOptions,
): Promise<DevServiceEndpoint> {
  const { service, container: spec } = plan
  const run = withSecrets(executor, plan.secretValues)
  let state = parseDevServiceState((await executor.run(inspectDevService(spec.name))).stdout)
  let action: DevServiceAction = "reused"
  if (state === undefined) {
    await ensureImage(executor, plan)
    const argv = runDevService(spec)
    const result = await run.run(argv, { secretEnv: spec.secretNames })
    if (result.exitCode !== 0) {
      // A concurrent deploy may have created it: reuse that one.
      state = parseDevServiceState((await executor.run(inspectDevService(spec.name))).stdout)
      if (state === undefined) throw runFailure(plan, argv, result)
    } else {
      action = "created"
    }
  } else if (state.state === "exited" || state.state === "created") {
    const argv = docker.start([spec.name])
    const result = await executor.run(argv)
    if (result.exitCode !== 0) throw runFailure(plan, argv, result)
    action = "started"
  } else if (state.state !== "running" && state.state !== "restarting") {
    throw new DevServiceError({
      kind: "state",
      service,
      container: spec.name,
      address: `${spec.alias}:${spec.port} on ${spec.network}`,
      what: `the container is ${state.state}, which a deploy does not change`,
      next:
        state.state === "paused"
          ? `docker unpause ${spec.name}`
          : `docker rm -f ${spec.name} (its data stays in ${spec.volume?.name ?? "no volume"}), then deploy again`,
    })
  }
  state ??= parseDevServiceState((await executor.run(inspectDevService(spec.name))).stdout)
  if (state === undefined)
    throw dockerFailure(
      service,
      spec.name,
      spec.image,
      "the container vanished right after it was created",
      undefined,
      "check whether another process removes containers (docker events), then deploy again",
    )
  if (state.image !== spec.image)
    options.log(
      `${service}: ${spec.name} runs ${state.image}, not ${spec.image}; remove the container (docker rm -f ${spec.name}) to change its image, its data stays in the volume`,
    )

  const deployer = await readPublishedPort(executor, plan)
  const where = `${deployer.host}:${deployer.port}`
  options.log(
    `${service}: ${action} ${spec.name} (${spec.image}): the app uses ${spec.alias}:${spec.port} on ${spec.network}, this deploy ${where}`,
  )
  const ready = await waitReady(plan, deployer, all, options)
  options.log(
    `${service}: ready at ${where} after ${ready.attempts} attempt${ready.attempts === 1 ? "" : "s"} in ${formatDuration(ready.elapsedMs)}`,
  )
  return {
    service,
    container: spec.name,
    id: state.id,
    image: state.image,
    action,
    app: plan.app,
    deployer,
    attempts: ready.attempts,
    readyMs: ready.elapsedMs,
  }
}

/** The image must be on the host; `docker pull` once if it is not (docker run would, with a worse message). */
async function ensureImage(executor: Executor, plan: DevServicePlan): Promise<void> {
  const { service, container: spec } = plan
  if ((await executor.run(docker.imageId(spec.image))).exitCode === 0) return
  const argv = docker.pull(spec.image)
  const pulled = await executor.run(argv)
  if (pulled.exitCode === 0) return
  throw new DevServiceError({
    kind: "image-missing",
    service,
    container: spec.name,
    address: `image ${spec.image}`,
    what: `the image is not on the Docker host and \`${argv.join(" ")}\` failed`,
    said: pulled.stderr || pulled.stdout,
    next: `pull or build it on that host (docker pull ${spec.image}), or set services.images.${service} to an image the host has`,
  })
}

async function readPublishedPort(executor: Executor, plan: DevServicePlan): Promise<Address> {
  const { service, container: spec } = plan
  const argv = publishedPort(spec.name, spec.port)
  const result = await executor.run(argv)
  const port = result.exitCode === 0 ? parsePublishedPort(result.stdout) : undefined
  if (port !== undefined) return { host: "127.0.0.1", port }
  throw new DevServiceError({
    kind: "port-taken",
    service,
    container: spec.name,
    address: `127.0.0.1 (port ${spec.port} inside)`,
    what: `its port ${spec.port} is not published on 127.0.0.1, so this deploy cannot reach it`,
    said: result.stderr || result.stdout,
    next: `docker rm -f ${spec.name} so the next deploy runs it with its port published (its data stays in ${spec.volume?.name ?? "no volume"}); check the container's logs first (docker logs ${spec.name})`,
  })
}

async function waitReady(plan: DevServicePlan, at: Address, all: DevServicesPlan, options: DevServicesOptions) {
  const { service, container: spec } = plan
  const services = { ...all.logins, [service]: { ...all.logins[service], ...at } }
  const probe = serviceProbes(services, {
    postgres: { password: all.passwords.POSTGRES_PASSWORD },
    rabbitmq: { password: all.passwords.RABBITMQ_PASSWORD },
  })[service]
  const deadlineMs = options.deadlineMs ?? DEFAULTS.deadlineMs
  const outcome = await retryUntilDeadline(
    probe,
    {
      deadlineMs,
      attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULTS.attemptTimeoutMs,
      schedule: backoff({ ...(options.backoff ?? DEFAULTS.backoff), random: options.random }),
    },
    options.timing,
  )
  if (outcome.result.ok) return outcome
  const address = `${outcome.result.target} (the app: ${spec.alias}:${spec.port})`
  if (outcome.result.failure === "auth") {
    throw new DevServiceError({
      kind: "credentials",
      service,
      container: spec.name,
      address,
      what: "it answers, but refuses the configured login",
      said: outcome.result.error,
      next: spec.volume
        ? `its data in volume ${spec.volume.name} was made with other credentials (the user, database and password of its first start count). ` +
          `Set services.${service} and the password to those, or start afresh: docker rm -f ${spec.name} && docker volume rm ${spec.volume.name} (this deletes its data)`
        : nextStep(outcome.result),
    })
  }
  throw new DevServiceError({
    kind: "not-ready",
    service,
    container: spec.name,
    address,
    what: `not ready within ${formatDuration(deadlineMs)} (${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"})`,
    said: outcome.result.error,
    next: `read its logs (docker logs ${spec.name}); if it keeps restarting, its data volume may be from another version of ${spec.image}`,
  })
}

/** A failed docker run or start: a taken port gets its own kind; anything else keeps docker's words. */
function runFailure(plan: DevServicePlan, argv: readonly string[], result: ExecResult): DevServiceError {
  const { service, container: spec } = plan
  const said = result.stderr || result.stdout
  if (/port is already allocated|address already in use/i.test(said)) {
    return new DevServiceError({
      kind: "port-taken",
      service,
      container: spec.name,
      address: `127.0.0.1 (port ${spec.port} inside)`,
      what: "the engine could not publish its port on 127.0.0.1",
      said,
      next: `see what holds the port (ss -ltnp), or docker rm -f ${spec.name} so the next deploy publishes it on a free port`,
    })
  }
  return dockerFailure(
    service,
    spec.name,
    spec.image,
    `\`${argv.join(" ")}\` exited ${result.exitCode}`,
    result,
    `read the container's logs (docker logs ${spec.name}) and the Docker host's (journalctl -u docker)`,
  )
}

function dockerFailure(
  service: string,
  container: string,
  address: string,
  what: string,
  result: ExecResult | undefined,
  next: string,
): DevServiceError {
  return new DevServiceError({
    kind: "docker",
    service,
    container,
    address,
    what,
    said: result ? result.stderr || result.stdout : undefined,
    next,
  })
}
