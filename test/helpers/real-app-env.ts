/**
 * What a throwaway environment (deploy-env.ts) needs on top to run the real reference app rather
 * than the busybox stand-in: its production settings, the deploy's migrate step, room for gunicorn,
 * the non-root check, and the app's view of the services. The deployer (preflight, ledger,
 * backups, notifications) keeps services.* at 127.0.0.1; the app's containers get the relays'
 * address through app.env, which wins over what services.* would give them (app-env.ts).
 */
import type { Plain } from "../../src/config/merge.js"
import type { ServiceRelay } from "./service-relay.js"

/** The secret the app's RABBITMQ_URL comes from (it carries the broker's password). */
export const RABBITMQ_URL_VARIABLE = "DP_REAL_RABBITMQ_URL"

/** Puts the relayed broker URL where the RABBITMQ_URL secret reads it. */
export function exportRabbitmqUrl(relay: ServiceRelay): void {
  process.env[RABBITMQ_URL_VARIABLE] = `amqp://guest:guest@${relay.host}:${relay.services.rabbitmq!.relayPort}//`
}

export function realAppOverrides(relay: ServiceRelay, appEnv: Record<string, string> = {}): Plain {
  return {
    app: {
      settings_module: "config.settings.production",
      env: {
        POSTGRES_HOST: relay.host,
        POSTGRES_PORT: String(relay.services.postgres!.relayPort),
        MEMCACHED_LOCATION: `${relay.host}:${relay.services.memcached!.relayPort}`,
        ...appEnv,
      },
    },
    deploy: { migrations: { run: true } },
    runtime: { resources: { limits: { cpus: 1, memory: "512M" }, reservations: { cpus: 0.1, memory: "128M" } } },
    health: { start_deadline: "30s" },
    security: { run_as_non_root: true },
    secrets: { POSTGRES_PASSWORD: "env:DP_TEST_POSTGRES_PASSWORD", RABBITMQ_URL: `env:${RABBITMQ_URL_VARIABLE}` },
  }
}
