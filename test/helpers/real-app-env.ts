/**
 * What a throwaway environment (deploy-env.ts) needs on top to run the real reference app rather
 * than the busybox stand-in: its production settings, the deploy's migrate step, room for gunicorn,
 * the non-root check, and the two views of the services. The app's containers reach each service
 * at its relay on the Docker bridge's gateway (service-relay.ts), which is what services.<name>
 * says; the deployer (ledger, lock, preflight, the migrations gate's schema read, notifications)
 * reaches the service itself on 127.0.0.1, which is what services.<name>.deployer says.
 */
import type { Plain } from "../../core/config/merge.js"
import { PG } from "./postgres.js"
import type { ServiceRelay } from "./service-relay.js"

/** The secret the app's RABBITMQ_URL comes from (it carries the broker's password). */
export const RABBITMQ_URL_VARIABLE = "DP_REAL_RABBITMQ_URL"

/** Puts the relayed broker URL where the RABBITMQ_URL secret reads it. */
export function exportRabbitmqUrl(relay: ServiceRelay): void {
  process.env[RABBITMQ_URL_VARIABLE] = `amqp://guest:guest@${relay.host}:${relay.services.rabbitmq!.relayPort}//`
}

/** services.<name> at the relay (the app's view), services.<name>.deployer at the service itself (the deployer's view). */
export function relayedServices(relay: ServiceRelay): Plain {
  const views = (name: string, deployerHost: string) => {
    const { port, relayPort } = relay.services[name]!
    return { host: relay.host, port: relayPort, deployer: { host: deployerHost, port } }
  }
  return {
    postgres: views("postgres", PG.host),
    memcached: views("memcached", "127.0.0.1"),
    rabbitmq: views("rabbitmq", "127.0.0.1"),
  }
}

export function realAppOverrides(relay: ServiceRelay, appEnv: Record<string, string> = {}): Plain {
  return {
    app: { settings_module: "config.settings.production", env: appEnv },
    services: relayedServices(relay),
    deploy: { migrations: { run: true } },
    runtime: { resources: { limits: { cpus: 1, memory: "512M" }, reservations: { cpus: 0.1, memory: "128M" } } },
    health: { start_deadline: "30s" },
    security: { run_as_non_root: true },
    secrets: { POSTGRES_PASSWORD: "env:DP_TEST_POSTGRES_PASSWORD", RABBITMQ_URL: `env:${RABBITMQ_URL_VARIABLE}` },
  }
}
