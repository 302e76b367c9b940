/**
 * A throwaway environment on this machine's Docker engine for the deploy engine's real-engine
 * tests: the shipped development environment, validated by the same schema, with a unique
 * project name, free ports, fast health timings, the test proxy image, and its ledger in a
 * scratch database on the local Postgres.
 */
import { createServer } from "node:net"
import { parse } from "yaml"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { configHash, type Environment } from "../../core/config/load.js"
import { deepMerge, type Plain } from "../../core/config/merge.js"
import { EnvironmentSchema } from "../../core/config/schema.js"
import { ENVIRONMENTS } from "./paths.js"
import { PG } from "./postgres.js"

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const yamlOf = (name: string) => parse(readFileSync(join(ENVIRONMENTS, name), "utf8")) as Plain

export interface TestEnvironmentOptions {
  name: string
  app: string
  ledgerDatabase: string
  proxyImage: string
  tier?: "development" | "testing" | "staging" | "production"
  overrides?: Plain
}

export async function testEnvironment(options: TestEnvironmentOptions): Promise<Environment & { raw: Plain }> {
  const tier = options.tier ?? "development"
  const raw = deepMerge(deepMerge(yamlOf("base.yaml"), yamlOf(`${tier}.yaml`)), {
    tier,
    app: { name: options.app, port: 8000 },
    deploy: {
      docker_host: "unix:///var/run/docker.sock",
      lock_wait: "0s",
      proxy: {
        bind: "127.0.0.1",
        http_port: await freePort(),
        preview_port: await freePort(),
        admin_port: 2019,
        image: options.proxyImage,
      },
      migrations: { run: false },
    },
    runtime: {
      replicas: 1,
      resources: { limits: { cpus: 0.5, memory: "64M" }, reservations: { cpus: 0.1, memory: "16M" } },
    },
    health: { interval: "500ms", timeout: "2s", healthy_threshold: 2, start_deadline: "15s", watch: "3s" },
    services: {
      // The machine's own services, set up by ci/setup: a managed development stack is its own spec.
      managed: false,
      postgres: { host: PG.host, port: PG.port, user: PG.user, database: options.ledgerDatabase },
      memcached: { host: "127.0.0.1", port: 11211 },
      rabbitmq: { host: "127.0.0.1", port: 5672, user: "guest", vhost: "/" },
    },
    ledger: { database: options.ledgerDatabase },
    notify: { enabled: true, exchange: `${options.app}.events` },
    security: { run_as_non_root: false, read_only_root_fs: false },
    secrets: {
      SECRET_KEY: "env:DP_TEST_SECRET_KEY",
      DEBUG: "env:DP_TEST_DEBUG",
      RABBITMQ_PASSWORD: "env:DP_TEST_RABBITMQ_PASSWORD",
    },
  })
  const merged = options.overrides ? deepMerge(raw, options.overrides) : raw
  const config = EnvironmentSchema.parse(merged)
  return { name: options.name, file: `(test) ${options.name}`, config, hash: configHash(config), raw: merged }
}

/** Values for the secrets the test environments name (deployFixture puts them in process.env). */
export const TEST_SECRET_VALUES = {
  DP_TEST_SECRET_KEY: "test-secret-key-canary-5b1e",
  DP_TEST_DEBUG: "false",
  DP_TEST_RABBITMQ_PASSWORD: "guest",
  DP_TEST_POSTGRES_PASSWORD: "unused-with-trust-auth",
  DP_TEST_ALLOWED_HOSTS: "*",
  DP_TEST_FALSE: "false",
}

/** The secrets staging and production must name, from TEST_SECRET_VALUES, plus the broker's password. */
export const PROTECTED_TIER_SECRETS = {
  SECRET_KEY: "env:DP_TEST_SECRET_KEY",
  POSTGRES_PASSWORD: "env:DP_TEST_POSTGRES_PASSWORD",
  ALLOWED_HOSTS: "env:DP_TEST_ALLOWED_HOSTS",
  SECURE_SSL_REDIRECT: "env:DP_TEST_FALSE",
  SESSION_COOKIE_SECURE: "env:DP_TEST_FALSE",
  RABBITMQ_PASSWORD: "env:DP_TEST_RABBITMQ_PASSWORD",
}
