/**
 * A development deploy's own services, made ready before anything connects (the edge of
 * dev-services-plan.ts and dev-services.ts): the SECRET_KEY generated into the local file when its
 * variable is unset, the environment's own secrets resolved, the managed services' credentials
 * filled into the variables withManagedServices named, then each service reused, started or run
 * and waited for. Returns the secret values the deploy uses and where this process reaches the
 * services (127.0.0.1 and the port Docker published), as EngineDeps.reach takes it.
 */
import { MANAGED_SECRET_VARIABLES } from "../config/managed-services.js"
import type { Environment } from "../config/load.js"
import { resolveSecrets } from "../exec/secrets.js"
import type { Executor } from "../exec/types.js"
import type { Timing } from "../time/clock.js"
import type { Reach } from "./deployer-services.js"
import { ensureDevSecretKey } from "./dev-secret-key.js"
import { appSecrets, planDevServices } from "./dev-services-plan.js"
import { ensureDevServices } from "./dev-services.js"

export interface ManagedServicesIo {
  /** The docker executor, once the secret values it passes by name are known. */
  executorFor: (secretValues: Readonly<Record<string, string>>) => Executor
  timing: Timing
  log: (line: string) => void
  /** Where `.deploy-pipeline/` is kept: the directory the command runs in. */
  root: string
  processEnv?: Readonly<Record<string, string | undefined>>
}

export interface ManagedServices {
  secretValues: Record<string, string>
  reach: Reach
}

const MANAGED_REFS = new Set(Object.values(MANAGED_SECRET_VARIABLES).map((variable) => `env:${variable}`))

export async function prepareManagedServices(env: Environment, io: ManagedServicesIo): Promise<ManagedServices> {
  const { config } = env
  const processEnv = (io.processEnv ?? process.env) as NodeJS.ProcessEnv
  const key = await ensureDevSecretKey(
    { envName: env.name, tier: config.tier, secrets: config.secrets },
    { root: io.root, env: processEnv },
  )
  if (key?.origin === "generated")
    io.log(`SECRET_KEY: ${key.variable} is unset; generated a development key into ${key.file}`)
  const withKey = key ? { ...processEnv, [key.variable]: key.value } : processEnv
  // The environment's own secrets first: a POSTGRES_PASSWORD it names is the managed Postgres's password too.
  const own = Object.fromEntries(Object.entries(config.secrets).filter(([, ref]) => !MANAGED_REFS.has(ref)))
  const plan = planDevServices(config, env.name, await resolveSecrets(own, withKey))
  const credentials = appSecrets(plan, config.services.rabbitmq)
  const secretValues = await resolveSecrets(config.secrets, {
    ...withKey,
    [MANAGED_SECRET_VARIABLES.POSTGRES_PASSWORD]: credentials.POSTGRES_PASSWORD,
    [MANAGED_SECRET_VARIABLES.RABBITMQ_URL]: credentials.RABBITMQ_URL,
  })
  const result = await ensureDevServices(io.executorFor(secretValues), plan, { timing: io.timing, log: io.log })
  // The deployer logs in to RabbitMQ with the same password the container was given.
  return { secretValues: { RABBITMQ_PASSWORD: plan.passwords.RABBITMQ_PASSWORD, ...secretValues }, reach: result.reach }
}
