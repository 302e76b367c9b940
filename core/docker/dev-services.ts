/**
 * Pure docker argv for the development deploy's managed services (Postgres, Memcached,
 * RabbitMQ): read a service container's state, run it, read its published port, and parse what
 * docker answers. Names, labels and credentials come from the plan (core/deploy/dev-services.ts);
 * passwords are named (`--env NAME`) and never valued here, as in argv.ts.
 */

/** One managed service's container, as the plan decides it. */
export interface DevServiceContainer {
  /** Stable: `<app>-<env>-postgres`, so the next deploy finds it. */
  name: string
  image: string
  network: string
  /** The name the app's containers reach it by on the network (db, cache, queue). */
  alias: string
  /** The port it listens on inside the container (5432, 11211, 5672). */
  port: number
  /**
   * The container's host name, when its data depends on it: RabbitMQ keeps its data under its node
   * name, rabbit@<hostname>, so a container made again on the same volume must have the same one.
   */
  hostname?: string
  /** A named volume for its data, or none (Memcached keeps nothing). */
  volume?: { name: string; target: string }
  labels: Record<string, string>
  /** Plain settings, as the official images read them (POSTGRES_USER, POSTGRES_DB, …). */
  env: Record<string, string>
  /** Secret names, passed as --env NAME so the value comes from the docker CLI's environment. */
  secretNames: readonly string[]
}

/** What `docker container inspect` says of a service container: id, state and image. */
export const inspectDevService = (name: string): string[] => [
  "docker",
  "container",
  "inspect",
  "--format",
  "{{.Id}}\t{{.State.Status}}\t{{.Config.Image}}",
  name,
]

/**
 * Runs the service in the background on the environment's network, restarted with the Docker
 * daemon unless someone stopped it, its port published on 127.0.0.1 only at a port the engine
 * picks (read back with publishedPort), so nothing clashes with a service already on the machine.
 */
export function runDevService(spec: DevServiceContainer): string[] {
  return [
    "docker",
    "run",
    "--detach",
    "--name",
    spec.name,
    ...(spec.hostname ? ["--hostname", spec.hostname] : []),
    "--network",
    spec.network,
    "--network-alias",
    spec.alias,
    ...Object.entries(spec.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    "--restart",
    "unless-stopped",
    ...(spec.volume ? ["--volume", `${spec.volume.name}:${spec.volume.target}`] : []),
    "--publish",
    `127.0.0.1::${spec.port}`,
    ...Object.entries(spec.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
    ...spec.secretNames.flatMap((name) => ["--env", name]),
    spec.image,
  ]
}

/** Where the engine published a container port on the Docker host. */
export const publishedPort = (name: string, port: number): string[] => ["docker", "port", name, `${port}/tcp`]

/** A service container as inspect reports it; undefined when the answer is not one line of three fields. */
export interface DevServiceState {
  id: string
  /** created, running, paused, restarting, exited, dead. */
  state: string
  image: string
}

export function parseDevServiceState(stdout: string): DevServiceState | undefined {
  const fields = stdout.trim().split("\t")
  if (fields.length !== 3 || fields.some((field) => field === "")) return undefined
  const [id, state, image] = fields as [string, string, string]
  return { id, state, image }
}

/** The 127.0.0.1 port in `docker port`'s answer (one `host:port` per line); undefined if none. */
export function parsePublishedPort(stdout: string): number | undefined {
  for (const line of stdout.split("\n")) {
    const match = /^127\.0\.0\.1:(\d{1,5})$/.exec(line.trim())
    if (match) return Number(match[1])
  }
  return undefined
}
