/**
 * What a development deploy's managed services are, decided from the config alone (pure): for
 * Postgres, Memcached and RabbitMQ, the container's stable name (`<app>-<env>-postgres`, beside
 * the compose driver's `<app>-<env>-net` and `-proxy`), its image (`services.images.*`, else the
 * pin in IMAGES), the network alias the app's containers use, its data volume, its labels, and
 * the credentials in the form the official images take them.
 *
 * Aliases: db, cache and queue, the names base.yaml's services.* and the Dagger dev stack
 * (core/stages/dev.ts) already give them, so the app's view is `db:5432`, `cache:11211` and
 * `queue:5672` whatever services.*.host says for the deployer.
 *
 * Passwords: the environment's POSTGRES_PASSWORD and RABBITMQ_PASSWORD secrets when it names
 * them, else DEV_SERVICE_PASSWORD. These services are reachable only on the environment's
 * network and on 127.0.0.1, and hold development data, so a fixed development password is no
 * secret; it is still passed by name, never in argv or a log.
 */
import {
  MANAGED_SERVICE_ENDPOINTS,
  type ManagedServiceName,
  type ManagedServicesConfig,
} from "../config/managed-services.js"
import type { EnvironmentConfig } from "../config/schema.js"
import { IMAGES } from "../constants.js"
import type { DevServiceContainer } from "../docker/dev-services.js"
import type { Address } from "./deployer-services.js"
import { DevServiceError } from "./dev-service-error.js"
import { LABEL, projectNames } from "./names.js"

/** The password of a managed service when the environment names none. Development only. */
export const DEV_SERVICE_PASSWORD = "development-only"

/** Marks a container as a service the deploy runs (besides the project and role labels). */
export const MANAGED_LABEL = "deploy-pipeline.managed-service"

export interface DevServicePlan {
  service: ManagedServiceName
  container: DevServiceContainer
  /** Where the app's containers reach it: alias:port on the environment's network. */
  app: Address
  /** Values of the container's secret names, for the executor's store. Never log them. */
  secretValues: Record<string, string>
}

export interface DevServicesPlan {
  project: string
  network: string
  services: DevServicePlan[]
  /** The passwords the app and the deployer log in with, by the environment's secret names. Never log them. */
  passwords: { POSTGRES_PASSWORD: string; RABBITMQ_PASSWORD: string }
  /** services.* as configured: the user, database and vhost the readiness probes log in with. */
  logins: EnvironmentConfig["services"]
}

/** What planDevServices reads: the config, with services.managed/images whether or not schema.ts has them yet. */
export type DevServicesConfig = Pick<EnvironmentConfig, "tier" | "app"> & {
  services: EnvironmentConfig["services"] & ManagedServicesConfig
}

/**
 * The managed services of one environment. `secretValues` are the environment's resolved secrets
 * (only POSTGRES_PASSWORD and RABBITMQ_PASSWORD are read). Refuses tiers above development.
 */
export function planDevServices(
  config: DevServicesConfig,
  envName: string,
  secretValues: Readonly<Record<string, string>> = {},
): DevServicesPlan {
  const { project, network } = projectNames(config.app.name, envName)
  if (config.tier !== "development") {
    throw new DevServiceError({
      kind: "refused",
      service: "services",
      container: `${project}-*`,
      address: `network ${network}`,
      what: `${envName} is a ${config.tier} environment; only development runs its own Postgres, Memcached and RabbitMQ`,
      next: `point services.* at the ${config.tier} services, and remove services.managed from ${envName}`,
    })
  }
  const passwords = {
    POSTGRES_PASSWORD: secretValues.POSTGRES_PASSWORD ?? DEV_SERVICE_PASSWORD,
    RABBITMQ_PASSWORD: secretValues.RABBITMQ_PASSWORD ?? DEV_SERVICE_PASSWORD,
  }
  const images = config.services.images ?? {}
  const { postgres, rabbitmq } = config.services
  const container = (
    service: ManagedServiceName,
    rest: Pick<DevServiceContainer, "env" | "secretNames" | "hostname"> & { dataAt?: string },
  ): DevServiceContainer => ({
    name: `${project}-${service}`,
    ...(rest.hostname ? { hostname: rest.hostname } : {}),
    image: images[service] ?? IMAGES[service],
    network,
    alias: MANAGED_SERVICE_ENDPOINTS[service].host,
    port: MANAGED_SERVICE_ENDPOINTS[service].port,
    ...(rest.dataAt ? { volume: { name: `${project}-${service}-data`, target: rest.dataAt } } : {}),
    labels: { [LABEL.project]: project, [LABEL.role]: "service", [MANAGED_LABEL]: service },
    env: rest.env,
    secretNames: rest.secretNames,
  })
  return {
    project,
    network,
    passwords,
    logins: { postgres, memcached: config.services.memcached, rabbitmq },
    services: [
      {
        service: "postgres",
        container: container("postgres", {
          env: { POSTGRES_USER: postgres.user, POSTGRES_DB: postgres.database },
          secretNames: ["POSTGRES_PASSWORD"],
          dataAt: "/var/lib/postgresql/data",
        }),
        app: MANAGED_SERVICE_ENDPOINTS.postgres,
        secretValues: { POSTGRES_PASSWORD: passwords.POSTGRES_PASSWORD },
      },
      {
        service: "memcached",
        container: container("memcached", { env: {}, secretNames: [] }),
        app: MANAGED_SERVICE_ENDPOINTS.memcached,
        secretValues: {},
      },
      {
        service: "rabbitmq",
        container: container("rabbitmq", {
          env: { RABBITMQ_DEFAULT_USER: rabbitmq.user, RABBITMQ_DEFAULT_VHOST: rabbitmq.vhost },
          secretNames: ["RABBITMQ_DEFAULT_PASS"],
          dataAt: "/var/lib/rabbitmq",
          hostname: `${project}-rabbitmq`,
        }),
        app: MANAGED_SERVICE_ENDPOINTS.rabbitmq,
        secretValues: { RABBITMQ_DEFAULT_PASS: passwords.RABBITMQ_PASSWORD },
      },
    ],
  }
}

/**
 * The secrets the app's containers need to log in to the managed services, by the names the
 * reference app reads: POSTGRES_PASSWORD, and RABBITMQ_URL with the user, password and vhost
 * (its settings take the broker as one URL). Values: pass them by name, never in argv or a log.
 */
export function appSecrets(
  plan: DevServicesPlan,
  rabbitmq: EnvironmentConfig["services"]["rabbitmq"],
): { POSTGRES_PASSWORD: string; RABBITMQ_URL: string } {
  const { host, port } = MANAGED_SERVICE_ENDPOINTS.rabbitmq
  const user = encodeURIComponent(rabbitmq.user)
  const password = encodeURIComponent(plan.passwords.RABBITMQ_PASSWORD)
  return {
    POSTGRES_PASSWORD: plan.passwords.POSTGRES_PASSWORD,
    RABBITMQ_URL: `amqp://${user}:${password}@${host}:${port}/${encodeURIComponent(rabbitmq.vhost)}`,
  }
}
