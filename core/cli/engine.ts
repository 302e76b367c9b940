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
import { servicesManaged } from "../config/managed-services.js"
import { deployerServices } from "../deploy/deployer-services.js"
import { prepareManagedServices } from "../deploy/managed-services.js"
import type { EngineDeps } from "../deploy/session.js"
import { localExecutor } from "../exec/local.js"
import { resolveSecrets } from "../exec/secrets.js"
import { withSecrets } from "../exec/with-secrets.js"
import type { ExecOptions, Executor } from "../exec/types.js"
import { systemTiming } from "../time/clock.js"
import { connectLedgerClient } from "../ledger/connect.js"
import { localOwner } from "../ledger/owner.js"
import { notifierFor } from "../notify/notifier.js"

export function requester(): string {
  return `${process.env.DEPLOY_PIPELINE_USER ?? userInfo().username}@${hostname()}`
}

/** The local executor with DOCKER_HOST set from the environment's config, and its secrets. */
export function dockerExecutor(env: Environment, secretValues: Readonly<Record<string, string>>): Executor {
  const dockerHost = env.config.deploy.docker_host
  const docker: Executor = {
    run: (argv, options: ExecOptions = {}) =>
      localExecutor.run(argv, { ...options, env: { DOCKER_HOST: dockerHost, ...options.env } }),
  }
  return withSecrets(docker, secretValues)
}

export async function localEngine(env: Environment, log: (line: string) => void): Promise<EngineDeps> {
  // A development deploy runs its own services first: their credentials, and where this process reaches them.
  const managed = servicesManaged(env.config)
    ? await prepareManagedServices(env, {
        executorFor: (values) => dockerExecutor(env, values),
        timing: systemTiming,
        log,
        root: process.cwd(),
      })
    : undefined
  const secretValues = managed?.secretValues ?? (await resolveSecrets(env.config.secrets))
  const reach = managed?.reach ?? {}
  // The deployer's view of the services (managed: 127.0.0.1 and the published port; else services.<name>.deployer where set); the app's containers keep services.*.
  const services = deployerServices(env.config.services, reach)
  const { host, port, user } = services.postgres
  const password = secretValues.POSTGRES_PASSWORD
  const connectLedger = (): Promise<pg.Client> =>
    connectLedgerClient({ host, port, user, database: env.config.ledger.database }, password)
  return {
    executor: dockerExecutor(env, secretValues),
    backupExecutor: withSecrets(localExecutor, password === undefined ? {} : { [PASSWORD_SECRET]: password }),
    secretValues,
    ...(managed ? { reach } : {}),
    connectLedger,
    notifier: notifierFor(env.name, { ...env.config, services }, secretValues.RABBITMQ_PASSWORD ?? ""),
    timing: systemTiming,
    owner: localOwner(requester()),
    log,
  }
}
