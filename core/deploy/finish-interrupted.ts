/**
 * A deploy of the release the proxy already serves, when the ledger never recorded it live: an
 * earlier deploy of it was killed after its switch (its row is now aborted). A retry finishes it
 * instead of refusing: the watch window, then retire (or, if the watch fails, the switch back to
 * the release that served before, still running as the fallback), recorded as a new deploy row.
 */
import { formatDuration } from "../config/units.js"
import type { DeployRecord } from "../ledger/record.js"
import { type DeployStartRequest, deployStart } from "./deploy-start.js"
import { DeployError } from "./errors.js"
import type { WebContainer } from "./host-state.js"
import type { Release } from "./release.js"
import type { EngineDeps, Session, Tracked } from "./session.js"
import { retire } from "./steps/retire.js"
import { watchLive } from "./steps/watch.js"
import { switchBack } from "./steps/switch-back.js"

export interface Interrupted {
  /** The containers of `release` the proxy routes live. */
  live: WebContainer[]
  web: WebContainer[]
  /** The ledger's last release that served: the one before the interrupted deploy. */
  current: DeployRecord | null
}

export async function finishInterrupted(
  session: Session,
  request: DeployStartRequest,
  release: Release,
  deps: EngineDeps,
  { live, web, current }: Interrupted,
): Promise<Tracked & { id: number; durationMs: number; summary: string; previous: string | null }> {
  const { env } = request
  const liveNames = live.map((c) => c.name)
  const colour = live[0]!.colour
  // The release that served before, still running as the route's fallback since the switch.
  const before = current
    ? web.filter((c) => c.digest === current.image.digest && c.state === "running").map((c) => c.name)
    : []
  const start = deployStart(request, release, {
    previousDigest: current?.image.digest ?? null,
    colorFrom: colour,
    colorTo: colour,
  })
  deps.log(`the proxy already serves ${release.digest} (an interrupted deploy); finishing it: watch, then retire`)
  const outcome = await session.track(start, "health-gate", async (id) => {
    await session.ledger.amend(id, { switchedAt: new Date() })
    const watched = await watchLive(session, deps, env, release, (report) =>
      report.ok
        ? `healthy for ${formatDuration(report.elapsedMs)} (${report.attempts} probes; switched by an interrupted deploy)`
        : `failed after ${formatDuration(report.failedAtMs)}`,
    )
    if (!watched.ok) {
      const reason = `health failed in the watch window of the interrupted deploy: ${watched.last.at(-1)?.error ?? "unhealthy"}`
      if (before.length === 0)
        throw new DeployError(
          "health-gate",
          `${reason}; the release from before is not running, so nothing was switched back`,
        )
      await switchBack(session, before, liveNames, { back: current!.image.digest, failed: release.short })
      return {
        result: "rolled_back" as const,
        error: reason,
        summary: `rolled back: ${reason}; ${current!.image.digest} serves again`,
      }
    }
    await retire(session, env.config, release, liveNames, before)
    return {
      result: "succeeded" as const,
      summary: `${release.digest} is live in ${env.name} (${colour}); finished the deploy an interrupted deployer left after its switch`,
    }
  })
  return { ...outcome, previous: start.previousDigest }
}
