/**
 * Pure builders of docker CLI argv: every command the deploy engine runs on a Docker host, as
 * data. Secrets are named (`--env NAME`) and never valued here: the docker CLI reads their values
 * from its own environment, which the executor sets.
 */
import type { EnvironmentConfig } from "../config/schema.js"

const labelArgs = (labels: Record<string, string>): string[] =>
  Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`])

export const dockerVersion = (): string[] => ["docker", "version", "--format", "{{.Server.Version}}"]
export const imageId = (image: string): string[] => ["docker", "image", "inspect", "--format", "{{.Id}}", image]
export const pull = (image: string): string[] => ["docker", "pull", "--quiet", image]

/** `docker build` of a source folder's Dockerfile; it prints the image ID. Build args are plain values, never secrets. */
export function buildImage(spec: {
  context: string
  target: string
  tag: string
  args: Readonly<Record<string, string>>
  labels: Record<string, string>
}): string[] {
  return [
    "docker",
    "build",
    "--quiet",
    "--target",
    spec.target,
    "--tag",
    spec.tag,
    ...labelArgs(spec.labels),
    ...Object.entries(spec.args).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]),
    spec.context,
  ]
}
export const imageUser = (image: string): string[] => [
  "docker",
  "image",
  "inspect",
  "--format",
  "{{.Config.User}}",
  image,
]
export const networkExists = (name: string): string[] => ["docker", "network", "inspect", "--format", "{{.Name}}", name]
export const networkCreate = (name: string, labels: Record<string, string>): string[] => [
  "docker",
  "network",
  "create",
  ...labelArgs(labels),
  name,
]
export const networkRemove = (name: string): string[] => ["docker", "network", "rm", name]
export const containerState = (name: string): string[] => [
  "docker",
  "container",
  "inspect",
  "--format",
  "{{.State.Status}}",
  name,
]

/** One line per container of the project: id, name, state, then the labels the driver reads. */
export const FORMAT_FIELDS = ["ID", "Names", "State", "digest", "version", "colour", "deploy-id", "role"] as const
export function listContainers(projectLabel: string, project: string): string[] {
  const format = [
    "{{.ID}}",
    "{{.Names}}",
    "{{.State}}",
    ...["digest", "version", "colour", "deploy-id", "role"].map((k) => `{{.Label "deploy-pipeline.${k}"}}`),
  ].join("\t")
  return ["docker", "ps", "--all", "--no-trunc", "--filter", `label=${projectLabel}=${project}`, "--format", format]
}

/** CPU and memory of running containers, one tab-separated line each. */
export const stats = (names: readonly string[]): string[] => [
  "docker",
  "stats",
  "--no-stream",
  "--no-trunc",
  "--format",
  "{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}",
  ...names,
]

/** Health (or "none" without a HEALTHCHECK), state and start time of containers, one line each. */
export const inspectHealth = (names: readonly string[]): string[] => [
  "docker",
  "inspect",
  "--format",
  "{{.Name}}\t{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}\t{{.State.Status}}\t{{.State.StartedAt}}\t{{.RestartCount}}",
  ...names,
]

export const start = (names: readonly string[]): string[] => ["docker", "start", ...names]
export const stop = (names: readonly string[], timeoutSeconds: number): string[] => [
  "docker",
  "stop",
  "--time",
  String(timeoutSeconds),
  ...names,
]
export const remove = (names: readonly string[]): string[] => ["docker", "rm", "--force", ...names]

export function restartPolicy(policy: EnvironmentConfig["runtime"]["restart_policy"]): string {
  if (policy.condition === "none") return "no"
  if (policy.condition === "any") return "always"
  return `on-failure:${policy.max_attempts}`
}

export interface RunWeb {
  name: string
  network: string
  alias: string
  labels: Record<string, string>
  image: string
  /** Plain settings, passed as NAME=value. */
  env: Record<string, string>
  /** Secret names, passed as --env NAME so the value comes from the docker CLI's environment. */
  secretNames: readonly string[]
  runtime: EnvironmentConfig["runtime"]
  security: EnvironmentConfig["security"]
}

export function runWeb(spec: RunWeb): string[] {
  const { runtime, security } = spec
  return [
    "docker",
    "run",
    "--detach",
    "--name",
    spec.name,
    "--network",
    spec.network,
    "--network-alias",
    spec.alias,
    ...labelArgs(spec.labels),
    "--restart",
    restartPolicy(runtime.restart_policy),
    "--cpus",
    String(runtime.resources.limits.cpus),
    "--memory",
    runtime.resources.limits.memory,
    "--memory-reservation",
    runtime.resources.reservations.memory,
    ...(security.no_new_privileges ? ["--security-opt", "no-new-privileges"] : []),
    ...(security.read_only_root_fs ? ["--read-only", "--tmpfs", "/tmp"] : []),
    ...Object.entries(spec.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
    ...spec.secretNames.flatMap((name) => ["--env", name]),
    spec.image,
  ]
}

export interface RunProxy {
  name: string
  network: string
  labels: Record<string, string>
  image: string
  bind: string
  httpPort: number
  previewPort: number
  /** What the proxy runs (HAProxy's command). */
  command: readonly string[]
  /** Variables passed by name (the executor sets their values), e.g. the proxy's first config. */
  envNames?: readonly string[]
}

/** The proxy: live traffic on :80 (published on bind:http_port), the idle colour on :81 (127.0.0.1 only). */
export function runProxy(spec: RunProxy): string[] {
  return [
    "docker",
    "run",
    "--detach",
    "--name",
    spec.name,
    "--network",
    spec.network,
    ...labelArgs(spec.labels),
    "--restart",
    "unless-stopped",
    "--publish",
    `${spec.bind}:${spec.httpPort}:80`,
    "--publish",
    `127.0.0.1:${spec.previewPort}:81`,
    ...(spec.envNames ?? []).flatMap((name) => ["--env", name]),
    spec.image,
    ...spec.command,
  ]
}

export interface RunOnce {
  name: string
  network: string
  labels: Record<string, string>
  image: string
  env: Record<string, string>
  secretNames: readonly string[]
  command: readonly string[]
  security: EnvironmentConfig["security"]
}

/** A one-off container in the foreground (removed when it exits): the release's migrate command, or what reads its pending migrations. */
export function runOnce(spec: RunOnce): string[] {
  return [
    "docker",
    "run",
    "--rm",
    "--name",
    spec.name,
    "--network",
    spec.network,
    ...labelArgs(spec.labels),
    ...(spec.security.no_new_privileges ? ["--security-opt", "no-new-privileges"] : []),
    ...Object.entries(spec.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
    ...spec.secretNames.flatMap((name) => ["--env", name]),
    spec.image,
    ...spec.command,
  ]
}

/** Runs argv in a container; `envNames` are passed through from the docker CLI's environment. */
export const exec = (container: string, argv: readonly string[], envNames: readonly string[] = []): string[] => [
  "docker",
  "exec",
  ...envNames.flatMap((n) => ["--env", n]),
  container,
  ...argv,
]
