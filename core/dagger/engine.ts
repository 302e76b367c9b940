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
import { type Secret, type Service, type Socket, dag } from "@dagger.io/dagger"
import type pg from "pg"
import type { Environment } from "../config/load.js"
import { PASSWORD_SECRET } from "../backup/connection.js"
import { dockerHostStore } from "../backup/store.js"
import {
  type Reach,
  SERVICE_NAMES,
  deployerServices,
  describeReach,
  parseEndpoint,
} from "../deploy/deployer-services.js"
import type { EngineDeps } from "../deploy/session.js"
import { daggerExecutor } from "../exec/dagger.js"
import { daggerPostgresExecutor } from "../exec/dagger-postgres.js"
import { secretUri } from "../exec/dagger-target.js"
import { systemTiming } from "../time/clock.js"
import { localOwner } from "../ledger/owner.js"
import { notifierFor } from "../notify/notifier.js"
import { servicesManaged } from "../config/managed-services.js"
import { DevServiceError } from "../deploy/dev-service-error.js"
import { connectLedgerClient } from "../ledger/connect.js"

/** How the module reaches things on the machine that runs dagger (its own 127.0.0.1 is the module's container). */
export interface HostAccess {
  /** The Docker engine's socket: deploy there instead of deploy.docker_host. */
  dockerSocket?: Socket
  /** Host services (`--postgres tcp://localhost:5432`) the ledger, preflight and notifications use instead of services.*. */
  postgres?: Service
  memcached?: Service
  rabbitmq?: Service
}

export interface DaggerEngineOptions extends HostAccess {
  /** Overrides deploy.ssh_key from the config. */
  sshKey?: Secret
  requestedBy: string
  log: (line: string) => void
}

/** Where backups are staged, under the runtime's workdir (/scratch), before they go to the Docker host. */
export const BACKUP_STAGING_DIR = ".deploy-pipeline-backups"

/** Passwords the module itself uses (ledger, broker); the app's other secrets never leave Secret form. */
const IN_PROCESS = ["POSTGRES_PASSWORD", "RABBITMQ_PASSWORD"]

/** Starts each given host service and reads where the module reaches it. */
async function reachOf(access: HostAccess): Promise<Reach> {
  const reach: Reach = {}
  for (const name of SERVICE_NAMES) {
    const service = access[name]
    if (service) reach[name] = parseEndpoint(name, await (await service.start()).endpoint())
  }
  return reach
}

export async function daggerEngine(env: Environment, options: DaggerEngineOptions): Promise<EngineDeps> {
  const { deploy, secrets: refs, ledger } = env.config
  if (servicesManaged(env.config)) throw managedUnderDagger(env.name)
  const reach = await reachOf(options)
  for (const line of describeReach(env.config.services, reach)) options.log(line)
  const services = deployerServices(env.config.services, reach)
  const secrets = Object.fromEntries(Object.entries(refs).map(([name, ref]) => [name, dag.secret(secretUri(ref))]))
  const sshKey = options.sshKey ?? (deploy.ssh_key ? dag.secret(secretUri(deploy.ssh_key)) : undefined)
  const tls = deploy.tls
    ? {
        ca: dag.secret(secretUri(deploy.tls.ca)),
        cert: dag.secret(secretUri(deploy.tls.cert)),
        key: dag.secret(secretUri(deploy.tls.key)),
      }
    : undefined
  const runId = randomUUID()
  const executor = daggerExecutor({
    dockerHost: deploy.docker_host,
    ...(options.dockerSocket ? { dockerSocket: options.dockerSocket } : {}),
    ...(sshKey ? { sshKey } : {}),
    ...(deploy.ssh_known_hosts ? { knownHosts: deploy.ssh_known_hosts } : {}),
    ...(tls ? { tls } : {}),
    secrets,
    runId,
  })
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
    connectLedger: () =>
      connectLedgerClient(
        {
          host: services.postgres.host,
          port: services.postgres.port,
          user: services.postgres.user,
          database: ledger.database,
        },
        password,
      ),
    notifier: notifierFor(env.name, { ...env.config, services }, secretValues.RABBITMQ_PASSWORD ?? ""),
    timing: systemTiming,
    owner: localOwner(options.requestedBy),
    log: options.log,
    reach,
  }
}

/** A development deploy's own services are started and reached from this machine, which the module's container is not. */
function managedUnderDagger(envName: string): DevServiceError {
  return new DevServiceError({
    kind: "refused",
    service: "services",
    container: "(none started)",
    address: "the engine's container",
    what: `${envName} runs its own Postgres, Memcached and RabbitMQ (services.managed), which only the CLI starts: under Dagger the module cannot reach the ports they publish on this machine`,
    next: `run deploy-pipeline deploy --env ${envName} on this machine, or set services.managed: false in ${envName} and pass --postgres/--memcached/--rabbitmq tcp://localhost:PORT`,
  })
}
