/**
 * Scaling the live release's web replicas: under the deploy lock, recorded in the ledger. New
 * replicas must pass the same health gate as a deploy before the proxy sends them traffic; when
 * they do not, they are removed, the previous count keeps serving, and the failure names each
 * instance and why. Scaling down takes replicas out of the proxy first, then stops them.
 * The count holds until the next deploy, which starts runtime.replicas again. How replicas are
 * added or taken away is the driver's (driver.scaling): containers behind the proxy for compose,
 * the live colour's service scaled in place for swarm.
 */
import type { Environment } from "../config/load.js"
import { MAX_REPLICAS } from "../config/schema.js"
import type { StartInput } from "../ledger/record.js"
import { DeployError } from "./errors.js"
import { releaseOf } from "./release.js"
import { type EngineDeps, withSession } from "./session.js"
import { gateOrUndo } from "./steps/gate-or-undo.js"

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

export async function scale(request: ScaleRequest, deps: EngineDeps): Promise<ScaleOutcome> {
  const { env, replicas } = request
  if (!SCALABLE.includes(request.service))
    throw new DeployError(
      "refused",
      `only the web service scales (the proxy and the databases run one instance each); got --service ${request.service}`,
    )
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS)
    throw new DeployError("refused", `--replicas takes a whole number from 1 to ${MAX_REPLICAS}; got ${replicas}`)
  const info = {
    env,
    action: "scale" as const,
    lockWaitMs: request.lockWaitMs ?? env.config.deploy.lock_wait,
    message: `scaling web to ${replicas}`,
  }
  return withSession(info, deps, async (session) => {
    const { driver } = session
    const web = await driver.webContainers()
    const live = await driver.liveContainers(web)
    if (live.length === 0) throw new DeployError("refused", `nothing is live in ${env.name} to scale; deploy first`)
    const scaling = driver.scaling(live, web)
    const { first, from } = scaling
    const release = releaseOf(first.digest, first.version)
    const start: Omit<StartInput, "owner" | "lock"> = {
      env: env.name,
      action: "scale",
      requestedBy: request.requestedBy,
      approval: null,
      image: { ref: first.digest, digest: first.digest },
      commit: null,
      configHash: env.hash,
      previousDigest: first.digest,
      colorFrom: first.colour,
      colorTo: first.colour,
    }
    const many = (n: number) => `${n} healthy replica${n === 1 ? "" : "s"}`
    const outcome = await session.track(start, "boot", async () => {
      if (replicas === from)
        return { result: "succeeded" as const, summary: `web already runs ${many(replicas)} of ${release.short}` }
      if (replicas < from) {
        for (const step of scaling.down(replicas)) await session.phase(step.phase, step.run)
      } else {
        const added = await session.phase(
          "boot",
          () => scaling.up(replicas),
          (up) => up.detail,
        )
        await gateOrUndo(session, deps, env, release, added.targets, added)
        for (const step of added.then) {
          session.lock.assertHeld()
          await session.phase(step.phase, step.run)
        }
      }
      return {
        result: "succeeded" as const,
        summary: `web scaled from ${from} to ${many(replicas)} of ${release.short} in ${env.name}`,
      }
    })
    return { id: outcome.id, from, to: replicas, summary: outcome.summary }
  })
}
