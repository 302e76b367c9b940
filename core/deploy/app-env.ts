/** The settings a web container gets: plain values from the config, secrets by name only (pure). */
import type { EnvironmentConfig } from "../config/schema.js"
import type { Release } from "./release.js"

export function appEnvironment(config: EnvironmentConfig, release: Release): Record<string, string> {
  const { postgres, memcached, rabbitmq } = config.services
  const plain: Record<string, string> = {
    DJANGO_SETTINGS_MODULE: config.app.settings_module,
    APP_VERSION: release.version,
    PORT: String(config.app.port),
    LOG_LEVEL: config.runtime.log_level,
    DEBUG: config.runtime.debug ? "true" : "false",
    POSTGRES_HOST: postgres.host,
    POSTGRES_PORT: String(postgres.port),
    POSTGRES_DB: postgres.database,
    POSTGRES_USER: postgres.user,
    MEMCACHED_LOCATION: `${memcached.host}:${memcached.port}`,
    RABBITMQ_HOST: rabbitmq.host,
    RABBITMQ_PORT: String(rabbitmq.port),
    RABBITMQ_VHOST: rabbitmq.vhost,
    RABBITMQ_USER: rabbitmq.user,
    ...config.app.env,
  }
  // A secret of the same name wins: its value comes from the secret store, never from here.
  for (const name of Object.keys(config.secrets)) delete plain[name]
  return plain
}
