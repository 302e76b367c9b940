/**
 * The deploy plan: what a deploy to one environment would do, in order, derived purely from
 * the validated config (and the image, when given). `plan` prints it; the deploy engine
 * follows the same step list, so the plan never lies about the deploy.
 */
import type { Environment } from "../config/load.js"
import { formatDuration } from "../config/units.js"
import { type ProbeHost, describeProbeHost, probeHost } from "../deploy/probe-host.js"
import { type Reach, deployerServices } from "../deploy/deployer-services.js"
import { readsPendingMigrations } from "../deploy/read-migrations.js"
import { approvalToken, parseImageRef } from "../docker/image-ref.js"
import { type ServiceViews, serviceViews } from "./services.js"

export type StepId =
  | "approve"
  | "lock"
  | "record-start"
  | "preflight"
  | "backup"
  | "migrate"
  | "boot"
  | "health-gate"
  | "switch"
  | "watch"
  | "retire"
  | "record-finish"
  | "notify"
  | "unlock"

export interface PlanStep {
  id: StepId
  detail: string
}

export interface DeployPlan {
  environment: string
  tier: string
  file: string
  configHash: string
  target: { driver: string; dockerHost: string }
  image: { ref: string | null; pinned: boolean; problem: string | null }
  approval: { required: boolean; token: string | null }
  backup: { enabled: boolean; location: string; verify: boolean }
  health: {
    path: string
    host: ProbeHost
    expectStatus: number
    intervalMs: number
    timeoutMs: number
    healthyThreshold: number
    startDeadlineMs: number
    watchMs: number
  }
  /** Which view of each service each part uses. */
  services: ServiceViews[]
  steps: PlanStep[]
}

/** `reach`: where this deployer reaches services through Dagger host services (--postgres …), which come first. */
export function buildPlan(environment: Environment, image?: string, reach: Reach = {}): DeployPlan {
  const { name, config } = environment
  const { deploy, runtime, health, services } = config
  const deployer = deployerServices(services, reach)
  const ref = image ? parseImageRef(image) : undefined
  const imageProblem = !image
    ? `no image given; pass --image ${config.app.image}@sha256:…`
    : !ref
      ? `"${image}" is not an image reference`
      : !ref.digest
        ? "not pinned to a digest; deploys refuse tags. Pass the ref@sha256:… that publish printed"
        : null
  const token = ref?.digest ? approvalToken(name, ref.digest) : null
  const approvalRequired = deploy.approval === "required"
  const swarm = deploy.driver === "swarm"
  const host = probeHost(config)
  const colours = swarm
    ? `the idle colour's stack (${config.app.name}-${name}-blue or -green, docker stack deploy)`
    : "the idle colour (blue/green)"
  const steps: PlanStep[] = [
    ...(approvalRequired
      ? [
          {
            id: "approve" as const,
            detail: `require --approve ${token ?? `${name}@<first 12 hex of the digest>`}, refused before anything changes`,
          },
        ]
      : []),
    {
      id: "lock",
      detail: `take the ${name} deploy lock (${deploy.lock_wait > 0 ? `wait up to ${formatDuration(deploy.lock_wait)}` : "fail at once if another deploy holds it"}), released in finally${readsPendingMigrations(config) ? `; under it, unless --migrations gives the SQL, read the pending migrations from the new release (showmigrations --plan, then sqlmigrate, in a container of it) and refuse ${deploy.migrations.block_on} findings, analysed against the database's schema, before anything changes; with no release live in ${name}, a first deploy reports them ungated` : ""}`,
    },
    { id: "record-start", detail: `ledger row "started" in ${config.ledger.database}.${config.ledger.schema}` },
    {
      id: "preflight",
      detail: `Docker host ${deploy.docker_host} reachable${swarm ? " and a swarm manager" : ""}, image present, ledger database, postgres ${deployer.postgres.host}:${deployer.postgres.port} (must answer), memcached ${deployer.memcached.host}:${deployer.memcached.port} and rabbitmq ${deployer.rabbitmq.host}:${deployer.rabbitmq.port} (a warning if not)`,
    },
    ...(deploy.backup.enabled
      ? [
          {
            id: "backup" as const,
            detail: `pg_dump -Fc of ${services.postgres.database} to ${deploy.backup.location} with sha256${deploy.backup.verify ? ", verified by a restore into a scratch database" : ""}; keep ${deploy.backup.keep}`,
          },
        ]
      : []),
    ...(deploy.migrations.run
      ? [
          {
            id: "migrate" as const,
            detail: `\`${deploy.migrations.command.join(" ")}\` in the new release, blocked on ${deploy.migrations.block_on} findings, lock_timeout ${formatDuration(deploy.migrations.lock_timeout)}, statement_timeout ${formatDuration(deploy.migrations.statement_timeout)}`,
          },
        ]
      : []),
    {
      id: "boot",
      detail: `start ${runtime.replicas} replica(s) as ${colours}: cpus ${runtime.resources.limits.cpus}, memory ${runtime.resources.limits.memory}, restart ${runtime.restart_policy.condition} (max ${runtime.restart_policy.max_attempts})`,
    },
    {
      id: "health-gate",
      detail: `${swarm ? "once swarm runs every task and calls it healthy, each task's " : ""}GET ${health.path} with ${describeProbeHost(host)} must answer ${health.expect_status} with the new version ${health.healthy_threshold} times in a row, every ${formatDuration(health.interval)} (timeout ${formatDuration(health.timeout)}), within ${formatDuration(health.start_deadline)}; on failure the old release keeps serving`,
    },
    {
      id: "switch",
      detail: swarm
        ? `make the new colour's slots ready in the HAProxy proxy (port ${deploy.proxy.http_port}), which resolves tasks.<service>, through its runtime API; the old colour on the preview port until retire`
        : `point the HAProxy proxy (port ${deploy.proxy.http_port}) at the new colour through its runtime API, the old colour as its fallback until the watch ends`,
    },
    {
      id: "watch",
      detail: `watch health through the proxy (the same Host) for ${formatDuration(health.watch)}; a failure switches back to the old release and records rolled_back`,
    },
    {
      id: "retire",
      detail: swarm
        ? `scale the old colour's service to 0, its spec kept for a fast rollback${deploy.keep_warm ? " (deploy.keep_warm does not apply to the swarm driver)" : ""}`
        : deploy.keep_warm
          ? `take the old release out of the route and keep it running for ${formatDuration(deploy.keep_warm)}, warm: a rollback to it is one probe and a switch (${runtime.replicas} replica(s) × ${runtime.resources.limits.memory} memory stay in use), then it stops itself; keep the last ${deploy.retain} for a fast rollback`
          : `stop the old release, keep the last ${deploy.retain} for a fast rollback`,
    },
    {
      id: "record-finish",
      detail: `ledger row "succeeded" with image, config hash, duration${deploy.backup.enabled ? ", backup id" : ""}`,
    },
    ...(config.notify.enabled
      ? [
          {
            id: "notify" as const,
            detail: `publish ${name}.<event> to the ${config.notify.exchange} exchange (persistent, confirmed)`,
          },
        ]
      : []),
    { id: "unlock", detail: "release the deploy lock" },
  ]
  return {
    environment: name,
    tier: config.tier,
    file: environment.file,
    configHash: environment.hash,
    target: { driver: deploy.driver, dockerHost: deploy.docker_host },
    image: { ref: image ?? null, pinned: Boolean(ref?.digest), problem: imageProblem },
    approval: { required: approvalRequired, token: approvalRequired ? token : null },
    backup: { enabled: deploy.backup.enabled, location: deploy.backup.location, verify: deploy.backup.verify },
    health: {
      path: health.path,
      host,
      expectStatus: health.expect_status,
      intervalMs: health.interval,
      timeoutMs: health.timeout,
      healthyThreshold: health.healthy_threshold,
      startDeadlineMs: health.start_deadline,
      watchMs: health.watch,
    },
    services: serviceViews(config, reach),
    steps,
  }
}
