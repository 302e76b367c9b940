/**
 * The deployer's view of the backing services. `services.*` say where the app's containers find
 * Postgres, Memcached and RabbitMQ; the deployer (ledger, preflight probes, notifications) may
 * reach them elsewhere. Under Dagger the module runs in the engine's container, where 127.0.0.1 is
 * that container: a service on the Docker host is reached through a Dagger host service
 * (`--postgres tcp://localhost:5432`), at the endpoint the engine gives it. Pure.
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

/** services.* as the deployer reaches them: each reached service's host and port replaced, the rest kept. */
export function deployerServices(services: EnvironmentConfig["services"], reach: Reach = {}): EnvironmentConfig["services"] {
  return {
    ...services,
    postgres: { ...services.postgres, ...reach.postgres },
    memcached: { ...services.memcached, ...reach.memcached },
    rabbitmq: { ...services.rabbitmq, ...reach.rabbitmq },
  }
}

/** A host:port endpoint as the engine prints it; throws naming the service when it is not one. */
export function parseEndpoint(service: ServiceName, endpoint: string): Address {
  const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(endpoint.trim())
  const port = match ? Number(match[2]) : 0
  if (!match || port < 1 || port > 65_535) {
    throw new Error(`the ${service} service's endpoint "${endpoint}" is not host:port; pass --${service} as tcp://HOST:PORT (for a service on this machine: tcp://localhost:PORT)`)
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port }
}

/** One line per reached service, for the deploy's log and plan. */
export function describeReach(services: EnvironmentConfig["services"], reach: Reach): string[] {
  return SERVICE_NAMES.filter((name) => reach[name]).map((name) => `${name}: the app uses ${services[name].host}:${services[name].port}; this deploy reaches it at ${reach[name]!.host}:${reach[name]!.port}`)
}
