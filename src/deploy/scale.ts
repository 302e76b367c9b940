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
import { releaseOf } from "./release.js"
import { type EngineDeps, withSession } from "./session.js"

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

function replicaNumber(name: string): number {
  return Number(/-(\d+)$/.exec(name)?.[1] ?? 0)
}
