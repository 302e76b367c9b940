/** Reads an environment's status and history (no lock needed: read-only). */
import type { Environment } from "../config/load.js"
import { Ledger, migrateLedger } from "../ledger/index.js"
import { DeployLock } from "../ledger/lock/lock.js"
import type { LockStatus } from "../ledger/lock/types.js"
import type { DeployRecord } from "../ledger/record.js"
import { ComposeDriver } from "./compose.js"
import { projectNames } from "./names.js"
import type { EngineDeps } from "./session.js"
import type { EnvironmentStatus } from "./status.js"

type Deps = Pick<EngineDeps, "executor" | "connectLedger">

async function withLedger<T>(env: Environment, deps: Deps, use: (ledger: Ledger) => Promise<T>): Promise<T> {
  const client = await deps.connectLedger()
  try {
    await migrateLedger(client, env.config.ledger.schema)
    return await use(new Ledger(client, env.config.ledger.schema))
  } finally {
    await client.end().catch(() => undefined)
  }
}

export async function readStatus(env: Environment, deps: Deps): Promise<EnvironmentStatus> {
  const driver = new ComposeDriver({ executor: deps.executor, names: projectNames(env.config.app.name, env.name), config: env.config })
  const [records, lock, containers] = await Promise.all([
    withLedger(env, deps, async (ledger) => [await ledger.current(env.name), await ledger.previousStable(env.name)] as const),
    lockStatus(env, deps),
    driver.webContainers(),
  ])
  return { env: env.name, current: records[0], previousStable: records[1], lock, containers }
}

export function readHistory(env: Environment, deps: Deps, limit = 20): Promise<DeployRecord[]> {
  return withLedger(env, deps, (ledger) => ledger.history(env.name, limit))
}

export async function lockStatus(env: Environment, deps: Pick<EngineDeps, "connectLedger">): Promise<LockStatus | null> {
  const client = await deps.connectLedger()
  try {
    await migrateLedger(client, env.config.ledger.schema)
  } finally {
    await client.end().catch(() => undefined)
  }
  return new DeployLock({ connect: deps.connectLedger, schema: env.config.ledger.schema }).status(env.name)
}
