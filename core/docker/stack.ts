/**
 * Pure builders for the swarm driver: the compose file of one colour's stack (a single `web`
 * service) and the docker argv that deploys, inspects, scales and removes it. The stack file is
 * data (tests compare it whole and validate it against the Compose spec); secrets are listed by
 * name only, so `docker stack deploy` takes their values from the docker CLI's environment.
 */
import type { EnvironmentConfig } from "../config/schema.js"

/** The variable that carries the stack file into `docker stack deploy --compose-file -`. */
export const STACK_ENV = "DEPLOY_PIPELINE_STACK"

export interface ColourStack {
  image: string
  /** The external overlay network the proxy shares with every colour. */
  network: string
  /** Container and service labels (project, role, digest, version, colour, deploy id). */
  labels: Record<string, string>
  /** Plain settings, NAME=value. */
  env: Record<string, string>
  /** Secret names: listed bare, so their values come from the CLI's environment at deploy time. */
  secretNames: readonly string[]
  replicas: number
  runtime: EnvironmentConfig["runtime"]
  security: EnvironmentConfig["security"]
  stopGraceSeconds: number
}

const ms = (value: number): string => `${value}ms`

/**
 * One colour's stack. `endpoint_mode: dnsrr` because the proxy dials `tasks.<service>` itself
 * (and kernels without IPVS have no VIP); swarm adds a task to that DNS name only once the image's
 * HEALTHCHECK passes. Updates in place (a redeployed colour) start the new task first.
 */
export function colourStackFile(spec: ColourStack): object {
  const { runtime, security } = spec
  const update = runtime.update_config
  return {
    version: "3.8",
    services: {
      web: {
        image: spec.image,
        environment: [...Object.entries(spec.env).map(([k, v]) => `${k}=${v}`), ...spec.secretNames],
        labels: spec.labels,
        networks: ["app"],
        stop_grace_period: `${spec.stopGraceSeconds}s`,
        ...(security.read_only_root_fs ? { read_only: true, volumes: [{ type: "tmpfs", target: "/tmp" }] } : {}),
        deploy: {
          mode: "replicated",
          replicas: spec.replicas,
          endpoint_mode: "dnsrr",
          labels: spec.labels,
          resources: {
            limits: { cpus: String(runtime.resources.limits.cpus), memory: runtime.resources.limits.memory },
            reservations: {
              cpus: String(runtime.resources.reservations.cpus),
              memory: runtime.resources.reservations.memory,
            },
          },
          restart_policy: {
            condition: runtime.restart_policy.condition,
            delay: ms(runtime.restart_policy.delay),
            max_attempts: runtime.restart_policy.max_attempts,
            window: ms(runtime.restart_policy.window),
          },
          update_config: {
            parallelism: update.parallelism,
            delay: ms(update.delay),
            order: update.order,
            failure_action: update.failure_action,
            monitor: ms(update.monitor),
          },
          rollback_config: { parallelism: update.parallelism, order: update.order },
        },
      },
    },
    networks: { app: { external: true, name: spec.network } },
  }
}

/**
 * `docker stack deploy` of a stack file held in STACK_ENV (set by the executor, so no JSON is
 * quoted into argv). Images are digest-pinned already, so swarm is told not to re-resolve them.
 */
export function stackDeploy(stack: string): string[] {
  return [
    "sh",
    "-c",
    `printf '%s' "$${STACK_ENV}" | docker stack deploy --resolve-image never --compose-file - "$1"`,
    "sh",
    stack,
  ]
}

export const stackRemove = (stack: string): string[] => ["docker", "stack", "rm", stack]

/** "active true" on a swarm manager. */
export const swarmState = (): string[] => [
  "docker",
  "info",
  "--format",
  "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}",
]

export function overlayNetworkCreate(name: string, labels: Record<string, string>): string[] {
  return [
    "docker",
    "network",
    "create",
    "--driver",
    "overlay",
    "--attachable",
    ...Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    name,
  ]
}

export const listServices = (projectLabel: string, project: string): string[] => [
  "docker",
  "service",
  "ls",
  "--filter",
  `label=${projectLabel}=${project}`,
  "--format",
  "{{.Name}}",
]

/** One line per service: name, desired replicas, then the deploy-pipeline labels the driver reads. */
export function inspectServices(names: readonly string[]): string[] {
  const labels = ["digest", "version", "colour", "deploy-id"].map(
    (k) => `{{index .Spec.Labels "deploy-pipeline.${k}"}}`,
  )
  return [
    "docker",
    "service",
    "inspect",
    "--format",
    ["{{.Spec.Name}}", "{{.Spec.Mode.Replicated.Replicas}}", ...labels].join("\t"),
    ...names,
  ]
}

/** The tasks swarm wants running: name (service.slot), id, current state, error. */
export function serviceTasks(service: string): string[] {
  return [
    "docker",
    "service",
    "ps",
    "--no-trunc",
    "--filter",
    "desired-state=running",
    "--format",
    "{{.Name}}\t{{.ID}}\t{{.CurrentState}}\t{{.Error}}",
    service,
  ]
}

/** Tasks that swarm stopped or is stopping, newest first: why a release never converged. */
export function failedTasks(service: string): string[] {
  return [
    "docker",
    "service",
    "ps",
    "--no-trunc",
    "--filter",
    "desired-state=shutdown",
    "--format",
    "{{.Name}}\t{{.ID}}\t{{.CurrentState}}\t{{.Error}}",
    service,
  ]
}

export const serviceScale = (service: string, replicas: number): string[] => [
  "docker",
  "service",
  "scale",
  "--detach",
  `${service}=${replicas}`,
]
