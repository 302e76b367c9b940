/**
 * The deploy engine's dependencies under Dagger: the Dagger executor (docker CLI in a container,
 * DOCKER_HOST from the environment, SSH key or TLS material and app secrets as Dagger Secrets
 * resolved by the caller's `dag.secret`), the ledger and notifications over the network from
 * the module's container. Backups run pg_dump/pg_restore in a Postgres client container, with
 * POSTGRES_PASSWORD as its PGPASSWORD Secret variable, and are kept in deploy.backup.location on
 * the Docker host. Same orchestrator as the CLI, other executors.
 */
import { randomUUID } from "node:crypto"
import { join } from "node:path"
import { type Secret, dag } from "@dagger.io/dagger"
import pg from "pg"
import type { Environment } from "../config/load.js"
import { PASSWORD_SECRET } from "../backup/connection.js"
import { dockerHostStore } from "../backup/store.js"
import type { EngineDeps } from "../deploy/session.js"
import { daggerExecutor } from "../exec/dagger.js"
import { daggerPostgresExecutor } from "../exec/dagger-postgres.js"
import { secretUri } from "../exec/dagger-target.js"
import { systemTiming } from "../health/clock.js"
import { localOwner } from "../ledger/owner.js"
import { notifierFor } from "../notify/notifier.js"

export interface DaggerEngineOptions {
  /** Overrides deploy.ssh_key from the config. */
  sshKey?: Secret
  requestedBy: string
  log: (line: string) => void
}

/** Where backups are staged, under the runtime's workdir (/scratch), before they go to the Docker host. */
export const BACKUP_STAGING_DIR = ".deploy-pipeline-backups"

/** Passwords the module itself uses (ledger, broker); the app's other secrets never leave Secret form. */
const IN_PROCESS = ["POSTGRES_PASSWORD", "RABBITMQ_PASSWORD"]

export async function daggerEngine(env: Environment, options: DaggerEngineOptions): Promise<EngineDeps> {
  const { deploy, secrets: refs, services, ledger } = env.config
  const secrets = Object.fromEntries(Object.entries(refs).map(([name, ref]) => [name, dag.secret(secretUri(ref))]))
  const sshKey = options.sshKey ?? (deploy.ssh_key ? dag.secret(secretUri(deploy.ssh_key)) : undefined)
  const tls = deploy.tls ? { ca: dag.secret(secretUri(deploy.tls.ca)), cert: dag.secret(secretUri(deploy.tls.cert)), key: dag.secret(secretUri(deploy.tls.key)) } : undefined
  const runId = randomUUID()
  const executor = daggerExecutor({ dockerHost: deploy.docker_host, ...(sshKey ? { sshKey } : {}), ...(deploy.ssh_known_hosts ? { knownHosts: deploy.ssh_known_hosts } : {}), ...(tls ? { tls } : {}), secrets, runId })
  const pgPassword = secrets.POSTGRES_PASSWORD
  const secretValues: Record<string, string> = {}
  for (const name of IN_PROCESS) if (secrets[name]) secretValues[name] = await secrets[name].plaintext()
  const password = secretValues.POSTGRES_PASSWORD
  return {
    executor,
    backupExecutor: daggerPostgresExecutor({ secrets: pgPassword ? { [PASSWORD_SECRET]: pgPassword } : {}, runId }),
    // The runtime container is gone after the call: dumps are staged under its workdir, then kept on the Docker host.
    backupStore: dockerHostStore(executor, join(process.cwd(), BACKUP_STAGING_DIR, runId)),
    secretValues,
    connectLedger: async () => {
      const client = new pg.Client({ host: services.postgres.host, port: services.postgres.port, user: services.postgres.user, database: ledger.database, ...(password ? { password } : {}), connectionTimeoutMillis: 10_000 })
      await client.connect()
      return client
    },
    notifier: notifierFor(env.name, env.config, secretValues.RABBITMQ_PASSWORD ?? ""),
    timing: systemTiming,
    owner: localOwner(options.requestedBy),
    log: options.log,
  }
}
