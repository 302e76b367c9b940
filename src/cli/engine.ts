/**
 * The CLI's deploy engine dependencies: the local executor (docker on this machine's PATH, talking
 * to DOCKER_HOST from the environment config), pg_dump/pg_restore on this machine with
 * POSTGRES_PASSWORD as their PGPASSWORD and dumps in a local deploy.backup.location, the ledger
 * over pg, RabbitMQ notifications, the real clock. The tests build the same thing, so they run exactly what the CLI runs.
 */
import { hostname, userInfo } from "node:os"
import type pg from "pg"
import { PASSWORD_SECRET } from "../backup/connection.js"
import type { Environment } from "../config/load.js"
import type { EngineDeps } from "../deploy/session.js"
import { localExecutor } from "../exec/local.js"
import { resolveSecrets } from "../exec/secrets.js"
import { withSecrets } from "../exec/with-secrets.js"
import type { ExecOptions, Executor } from "../exec/types.js"
import { systemTiming } from "../time/clock.js"
import { localOwner } from "../ledger/owner.js"
import { notifierFor } from "../notify/notifier.js"

export function requester(): string {
  return `${process.env.DEPLOY_PIPELINE_USER ?? userInfo().username}@${hostname()}`
}

/** The local executor with DOCKER_HOST set from the environment's config, and its secrets. */
export function dockerExecutor(env: Environment, secretValues: Readonly<Record<string, string>>): Executor {
  const dockerHost = env.config.deploy.docker_host
  const docker: Executor = { run: (argv, options: ExecOptions = {}) => localExecutor.run(argv, { ...options, env: { DOCKER_HOST: dockerHost, ...options.env } }) }
  return withSecrets(docker, secretValues)
}

export async function localEngine(env: Environment, log: (line: string) => void): Promise<EngineDeps> {
  const secretValues = await resolveSecrets(env.config.secrets)
  const { host, port, user } = env.config.services.postgres
  const password = secretValues.POSTGRES_PASSWORD
  const connectLedger = async (): Promise<pg.Client> => {
    const { default: pgModule } = await import("pg")
    const client = new pgModule.Client({ host, port, user, database: env.config.ledger.database, ...(password ? { password } : {}), connectionTimeoutMillis: 10_000 })
    await client.connect()
    return client
  }
  return {
    executor: dockerExecutor(env, secretValues),
    backupExecutor: withSecrets(localExecutor, password === undefined ? {} : { [PASSWORD_SECRET]: password }),
    secretValues,
    connectLedger,
    notifier: notifierFor(env.name, env.config, secretValues.RABBITMQ_PASSWORD ?? ""),
    timing: systemTiming,
    owner: localOwner(requester()),
    log,
  }
}
