/**
 * Scaling the live release's web replicas: under the deploy lock, recorded in the ledger. New
 * replicas must pass the same health gate as a deploy before the proxy sends them traffic; when
 * they do not, they are removed, the previous count keeps serving, and the failure names each
 * instance and why. Scaling down takes replicas out of the proxy first, then stops them.
 * The count holds until the next deploy, which starts runtime.replicas again.
 */
import type { Environment } from "../config/load.js"
import { HealthGateError, formatGateFailure } from "../health/gate-error.js"
import type { StartInput } from "../ledger/record.js"
import { gate } from "./deploy.js"
import { DeployError } from "./errors.js"
import { type Release, releaseOf } from "./release.js"
import { type EngineDeps, type Session, withSession } from "./session.js"
import { SwarmDriver } from "./swarm.js"
import type { WebService } from "./swarm-state.js"

export interface ScaleRequest {
  env: Environment
  service: string
  replicas: number
  requestedBy: string
  lockWaitMs?: number
}

export interface ScaleOutcome {
  id: number
  from: number
  to: number
  summary: string
}

export const SCALABLE = ["web"]
export const MAX_REPLICAS = 50

export async function scale(request: ScaleRequest, deps: EngineDeps): Promise<ScaleOutcome> {
  const { env, replicas } = request
  if (!SCALABLE.includes(request.service)) throw new DeployError("refused", `only the web service scales (the proxy and the databases run one instance each); got --service ${request.service}`)
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) throw new DeployError("refused", `--replicas takes a whole number from 1 to ${MAX_REPLICAS}; got ${replicas}`)
  const info = { env, action: "scale" as const, lockWaitMs: request.lockWaitMs ?? env.config.deploy.lock_wait, message: `scaling web to ${replicas}` }
  return withSession(info, deps, async (session) => {
    const { driver } = session
    const web = await driver.webContainers()
    const live = (await driver.liveContainers(web)).sort((a, b) => replicaNumber(a.name) - replicaNumber(b.name))
    if (live.length === 0) throw new DeployError("refused", `nothing is live in ${env.name} to scale; deploy first`)
    const first = live[0]!
    const release = releaseOf(first.digest, first.version)
    const start: Omit<StartInput, "owner" | "lock"> = {
      env: env.name, action: "scale", requestedBy: request.requestedBy, approval: null,
      image: { ref: first.digest, digest: first.digest }, commit: null, configHash: env.hash,
      previousDigest: first.digest, colorFrom: first.colour, colorTo: first.colour,
    }
    if (driver instanceof SwarmDriver) {
      const service = (web as WebService[]).find((s) => s.name === first.name)!
      const outcome = await session.track(start, "boot", () => scaleService(session, deps, env, driver, service, release, replicas))
      return { id: outcome.id, from: service.replicas, to: replicas, summary: outcome.summary }
    }
    const from = live.length
    const outcome = await session.track(start, "boot", async () => {
      if (replicas === from) return { result: "succeeded" as const, summary: `web already runs ${replicas} healthy replica${replicas === 1 ? "" : "s"} of ${release.short}` }
      if (replicas < from) {
        const keep = live.slice(0, replicas).map((c) => c.name)
        const drop = live.slice(replicas).map((c) => c.name)
        await session.phase("switch", () => driver.route(keep, []).then(() => `live → ${keep.join(", ")}`))
        await session.phase("retire", () => driver.remove(drop).then(() => `removed ${drop.join(", ")}`))
      } else {
        const existing = new Set(web.map((c) => c.name))
        const added = await session.phase("boot", () => driver.addReplicas(release, first.colour, first.deployId, replicas - from, existing), (names) => names.join(", "))
        try {
          await session.phase("health-gate", () => gate(session, deps, env, release, added), (s) => s)
        } catch (error) {
          await driver.remove(added)
          if (error instanceof HealthGateError) {
            throw new DeployError("health-gate", `the new replicas never became healthy, so web stays at ${from}: ${added.join(", ")} failed\n${formatGateFailure(error.failure)}`, { cause: error })
          }
          throw error
        }
        session.lock.assertHeld()
        await session.phase("switch", () => driver.route([...live.map((c) => c.name), ...added], []).then(() => `live → ${replicas} replicas`))
      }
      return { result: "succeeded" as const, summary: `web scaled from ${from} to ${replicas} healthy replica${replicas === 1 ? "" : "s"} of ${release.short} in ${env.name}` }
    })
    return { id: outcome.id, from, to: replicas, summary: outcome.summary }
  })
}

/**
 * Under swarm the live colour is one service: scale it in place. More replicas pass the gate (each
 * task probed from the proxy) or the service goes back to its old count; fewer is swarm's own
 * scale-down (tasks leave DNS before they stop, and the proxy retries a refused dial).
 */
async function scaleService(session: Session, deps: EngineDeps, env: Environment, driver: SwarmDriver, service: WebService, release: Release, replicas: number) {
  const from = service.replicas
  const many = (n: number) => `${n} healthy replica${n === 1 ? "" : "s"}`
  if (replicas === from) return { result: "succeeded" as const, summary: `web already runs ${many(replicas)} of ${release.short}` }
  await session.phase("boot", () => driver.scaleService(service.name, replicas).then(() => `${service.name}: ${from} → ${replicas}`))
  if (replicas > from) {
    try {
      await session.phase("health-gate", () => gate(session, deps, env, release, [service.name]), (s) => s)
    } catch (error) {
      await driver.scaleService(service.name, from)
      if (error instanceof HealthGateError) throw new DeployError("health-gate", `the new replicas never became healthy, so ${service.name} is back at ${from}\n${formatGateFailure(error.failure)}`, { cause: error })
      throw error
    }
  }
  return { result: "succeeded" as const, summary: `web scaled from ${from} to ${many(replicas)} of ${release.short} in ${env.name}` }
}

function replicaNumber(name: string): number {
  return Number(/-(\d+)$/.exec(name)?.[1] ?? 0)
}
