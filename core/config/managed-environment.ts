/**
 * An environment as its deploy sees it when it runs its own services (services.managed, the
 * default in development): the app's containers reach Postgres, Memcached and RabbitMQ at their
 * network aliases (db:5432, cache:11211, queue:5672), and get the credentials as secrets the deploy
 * fills in itself. Applied once, when the environments are loaded, so `config check`, `plan` and
 * the deploy all show the same thing. Pure.
 */
import { MANAGED_SECRET_VARIABLES, MANAGED_SERVICE_ENDPOINTS, servicesManaged } from "./managed-services.js"
import type { EnvironmentConfig } from "./schema.js"

export function withManagedServices(config: EnvironmentConfig): EnvironmentConfig {
  if (!servicesManaged(config)) return config
  const { postgres, memcached, rabbitmq } = config.services
  const managedSecrets = Object.fromEntries(
    Object.entries(MANAGED_SECRET_VARIABLES)
      .filter(([name]) => config.secrets[name] === undefined)
      .map(([name, variable]) => [name, `env:${variable}`]),
  )
  return {
    ...config,
    services: {
      ...config.services,
      managed: true,
      postgres: { ...postgres, ...MANAGED_SERVICE_ENDPOINTS.postgres },
      memcached: { ...memcached, ...MANAGED_SERVICE_ENDPOINTS.memcached },
      rabbitmq: { ...rabbitmq, ...MANAGED_SERVICE_ENDPOINTS.rabbitmq },
    },
    secrets: { ...config.secrets, ...managedSecrets },
  }
}
