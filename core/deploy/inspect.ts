/** Reads an environment's status and history (no lock needed: read-only). */
import type { Environment } from "../config/load.js"
import { Ledger, migrateLedger } from "../ledger/index.js"
import { DeployLock } from "../ledger/lock/lock.js"
import type { LockStatus } from "../ledger/lock/types.js"
import type { DeployRecord } from "../ledger/record.js"
import type { Driver, HostView } from "./driver.js"
import { type EngineDeps, driverFor } from "./session.js"
import { servingState } from "./serving.js"
import type { ContainerStatus, EnvironmentStatus } from "./status.js"

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
  const driver = driverFor(env, deps.executor)
  const view = await driver.hostView()
  const [records, lock, containers] = await Promise.all([
    withLedger(
      env,
      deps,
      async (ledger) => [await ledger.current(env.name), await ledger.previousStable(env.name)] as const,
    ),
    lockStatus(env, deps),
    hostContainers(driver, view),
  ])
  const { bind, http_port } = env.config.deploy.proxy
  const serving = servingState({
    env: env.name,
    proxy: driver.names.proxy,
    address: `${bind}:${http_port}`,
    ...view,
    ledgerDigest: records[0]?.image.digest ?? null,
  })
  return { env: env.name, serving, current: records[0], previousStable: records[1], lock, containers }
}

/** Every container of the project, with health from docker inspect and CPU/memory from docker stats. */
async function hostContainers(driver: Driver, view: HostView): Promise<ContainerStatus[]> {
  const { containers: all, web, live } = view
  const { health, usage } = await driver.figures(
    all.map((c) => c.name),
    all.filter((c) => c.state === "running").map((c) => c.name),
  )
  return all
    .map((c) => {
      const w = web.find((x) => x.name === c.name)
      const h = health.find((x) => x.name === c.name)
      const u = usage.find((x) => x.name === c.name)
      return {
        name: c.name,
        role: c.role,
        state: c.state,
        health: h?.health ?? "unknown",
        live: live.has(c.name),
        digest: w?.digest ?? null,
        version: w?.version ?? null,
        colour: w?.colour ?? null,
        restarts: h?.restarts ?? 0,
        cpuPercent: u?.cpuPercent ?? null,
        memoryBytes: u?.memoryBytes ?? null,
        memoryLimitBytes: u?.memoryLimitBytes ?? null,
        memoryPercent: u?.memoryPercent ?? null,
      }
    })
    .sort((a, b) => a.role.localeCompare(b.role) || Number(b.live) - Number(a.live) || a.name.localeCompare(b.name))
}

export function readHistory(env: Environment, deps: Deps, limit = 20): Promise<DeployRecord[]> {
  return withLedger(env, deps, (ledger) => ledger.history(env.name, limit))
}

export async function lockStatus(
  env: Environment,
  deps: Pick<EngineDeps, "connectLedger">,
): Promise<LockStatus | null> {
  const client = await deps.connectLedger()
  try {
    await migrateLedger(client, env.config.ledger.schema)
  } finally {
    await client.end().catch(() => undefined)
  }
  return new DeployLock({ connect: deps.connectLedger, schema: env.config.ledger.schema }).status(env.name)
}
