/**
 * The deployer's view of the backing services. `services.*` say where the app's containers find
 * Postgres, Memcached and RabbitMQ; the deployer (ledger, preflight probes, notifications, the
 * migrations gate's schema read) may reach them elsewhere. Two things say where, in this order:
 * under Dagger, a host service (`--postgres tcp://localhost:5432`) at the endpoint the engine gives
 * it, since the module runs in the engine's container, where 127.0.0.1 is that container; then
 * `services.<name>.deployer` in the config (a database on the host's loopback, which the app's
 * containers reach by a network alias). Without either, the deployer uses services.* too. Pure.
 */
import type { EnvironmentConfig } from "../config/schema.js"

export const SERVICE_NAMES = ["postgres", "memcached", "rabbitmq"] as const
export type ServiceName = (typeof SERVICE_NAMES)[number]

export interface Address {
  host: string
  port: number
}

/** Where the deployer reaches a service when that differs from services.<name>. */
export type Reach = Partial<Record<ServiceName, Address>>

/** Where the deployer's address of a service comes from. */
export type ViewSource = "host-service" | "deployer" | "services"

export interface DeployerView extends Address {
  source: ViewSource
}

/** One service as the deployer reaches it: a host service, else services.<name>.deployer, else services.<name>. */
export function deployerView(
  services: EnvironmentConfig["services"],
  name: ServiceName,
  reach: Reach = {},
): DeployerView {
  const service = services[name]
  const reached = reach[name]
  if (reached) return { ...reached, source: "host-service" }
  if (service.deployer)
    return { host: service.deployer.host, port: service.deployer.port ?? service.port, source: "deployer" }
  return { host: service.host, port: service.port, source: "services" }
}

/** services.* as the deployer reaches them: each service's host and port from its deployer view, the rest kept. */
export function deployerServices(
  services: EnvironmentConfig["services"],
  reach: Reach = {},
): EnvironmentConfig["services"] {
  const at = (name: ServiceName) => {
    const { host, port } = deployerView(services, name, reach)
    return { host, port }
  }
  return {
    ...services,
    postgres: { ...services.postgres, ...at("postgres") },
    memcached: { ...services.memcached, ...at("memcached") },
    rabbitmq: { ...services.rabbitmq, ...at("rabbitmq") },
  }
}

/** Where a deployer view comes from, as the plan and the logs say it. */
export function describeViewSource(name: ServiceName, source: ViewSource): string {
  if (source === "host-service") return `deployer view, from --${name}`
  if (source === "deployer") return `deployer view, from services.${name}.deployer`
  return `from services.${name}`
}

/** A host:port endpoint as the engine prints it; throws naming the service when it is not one. */
export function parseEndpoint(service: ServiceName, endpoint: string): Address {
  const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(endpoint.trim())
  const port = match ? Number(match[2]) : 0
  if (!match || port < 1 || port > 65_535) {
    throw new Error(
      `the ${service} service's endpoint "${endpoint}" is not host:port; pass --${service} as tcp://HOST:PORT (for a service on this machine: tcp://localhost:PORT)`,
    )
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port }
}

/** One line per service the deployer reaches elsewhere than the app, for the deploy's log. */
export function describeReach(services: EnvironmentConfig["services"], reach: Reach): string[] {
  return SERVICE_NAMES.flatMap((name) => {
    const view = deployerView(services, name, reach)
    if (view.source === "services") return []
    return [
      `${name}: the app uses ${services[name].host}:${services[name].port}; this deploy reaches it at ${view.host}:${view.port} (${describeViewSource(name, view.source)})`,
    ]
  })
}
