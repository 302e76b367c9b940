/**
 * Rollback: back to the previous stable release (or --to a digest), through the same boot, gate,
 * switch and watch as a deploy, never reversing migrations. When the target's containers are
 * still on the host (running, or stopped and kept), it starts them instead of booting new ones:
 * the fast path. A target that fails its watch window after the switch is switched back, like a
 * deploy: what served before serves again. The summary says how long until the target served,
 * and how long the whole rollback took.
 */
import type { Environment } from "../config/load.js"
import type { DeployRecord, StartInput } from "../ledger/record.js"
import { DeployError } from "./errors.js"
import { containersOf } from "./host-state.js"
import { type Colour, otherColour } from "./names.js"
import { type Release, releaseOf } from "./release.js"
import { type EngineDeps, withSession } from "./session.js"
import { gateOrUndo } from "./steps/gate-or-undo.js"
import { switchTraffic } from "./steps/switch.js"
import { switchBack } from "./steps/switch-back.js"
import { retire } from "./steps/retire.js"
import { watchLive } from "./steps/watch.js"

export interface RollbackRequest {
  env: Environment
  /** A digest (sha256:…), or a ref carrying one; default the previous stable release. */
  to?: string
  requestedBy: string
  lockWaitMs?: number
}

export interface RollbackOutcome {
  id: number
  release: Release
  from: string | null
  /** True when the target's containers were still on the host and were reused. */
  fast: boolean
  /** True when they were still running (deploy.keep_warm): one probe and a switch. */
  warm: boolean
  /** From the command's start until the target served (its switch done). */
  seconds: number
  /** The whole rollback, the watch window and the retire included. */
  totalSeconds: number
  summary: string
  warnings: string[]
}

export async function rollback(request: RollbackRequest, deps: EngineDeps): Promise<RollbackOutcome> {
  const { env } = request
  const info = {
    env,
    action: "rollback" as const,
    lockWaitMs: request.lockWaitMs ?? env.config.deploy.lock_wait,
    message: `rolling back ${env.name}`,
  }
  return withSession(info, deps, async (session) => {
    const { ledger, driver } = session
    const started = performance.now()
    const current = await ledger.current(env.name)
    const web = await driver.webContainers()
    // What the proxy serves decides what "previous" means, whatever the ledger believed.
    const live = await driver.liveContainers(web)
    const target = await chooseTarget(
      request,
      (digest) => ledger.lastRelease(env.name, digest),
      live[0]?.digest ?? null,
      current,
      () => ledger.previousStable(env.name),
    )
    const kept = containersOf(web, target.image.digest)
    // Kept containers report the version they were started with; a rebooted release, its digest.
    const release = releaseOf(target.image.ref, kept[0]?.version)
    const fromColour = (live[0]?.colour ?? null) as Colour | null
    const toColour =
      kept[0]?.colour && kept[0].colour !== fromColour ? kept[0].colour : fromColour ? otherColour(fromColour) : "blue"
    const start: Omit<StartInput, "owner" | "lock"> = {
      env: env.name,
      action: "rollback",
      requestedBy: request.requestedBy,
      approval: null,
      image: { ref: target.image.ref, digest: release.digest },
      commit: target.commit,
      configHash: env.hash,
      previousDigest: live[0]?.digest ?? current?.image.digest ?? null,
      colorFrom: fromColour,
      colorTo: toColour,
      rolledBackFrom: current?.id ?? null,
    }
    const outcome = await session.track(start, "rollback-target", async (id) => {
      const fast = kept.length > 0
      // Still running inside its keep_warm window: its timer is cancelled, and one probe will do.
      const running = fast && kept.every((c) => c.state === "running")
      // A timer that cannot be cancelled would stop the release once it serves: restart those (cold) instead.
      const stuck = running ? await driver.cancelWarm(kept.map((c) => c.name)) : []
      if (stuck.length > 0) {
        session.warn(`deploy.keep_warm: the timer in ${stuck.join(", ")} could not be cancelled; restarted it instead`)
        await driver.stop(stuck)
      }
      const warm = running && stuck.length === 0
      const replicas = warm
        ? await session.phase(
            "warm",
            async () => kept.map((c) => c.name),
            (names) => `reused ${names.join(", ")}, still running (warm)`,
          )
        : fast
          ? await session.phase(
              "start-kept",
              async () => {
                await driver.start(
                  kept.filter((c) => c.state !== "running" || stuck.includes(c.name)).map((c) => c.name),
                )
                return kept.map((c) => c.name)
              },
              (names) => `reused ${names.join(", ")}`,
            )
          : await session.phase(
              "boot",
              async () => {
                await driver.ensureInfrastructure()
                return driver.boot(release, toColour, id, web)
              },
              (names) => names.join(", "),
            )
      // Kept containers that fail the gate stay kept; a fresh boot is removed.
      const undo = () => (fast ? Promise.resolve() : driver.remove(replicas))
      await gateOrUndo(
        session,
        deps,
        env,
        release,
        replicas,
        { undo, refusal: `the rollback target ${release.digest} is not healthy, so it got no traffic` },
        warm ? 1 : env.config.health.healthy_threshold,
      )
      await switchTraffic(
        session,
        id,
        replicas,
        live.map((c) => c.name),
        `live → ${release.short}`,
      )
      const seconds = (performance.now() - started) / 1000
      const watched = await watchLive(session, deps, env, release, (r) =>
        r.ok ? `healthy for ${r.elapsedMs} ms` : `failed after ${r.failedAtMs} ms`,
      )
      const liveNames = live.map((c) => c.name)
      if (!watched.ok) {
        const reason = `the rollback target ${release.digest} failed its watch window after the switch: ${watched.last.at(-1)?.error ?? "unhealthy"}`
        if (live.length === 0)
          throw new DeployError(
            "health-gate",
            `${reason}; nothing served before it, so there is nothing to switch back to; check it with deploy-pipeline status --env ${env.name}`,
          )
        await switchBack(session, liveNames, replicas, { back: live[0]!.colour, failed: release.short })
        throw new DeployError(
          "switched-back",
          `${reason}; switched back: ${live[0]!.digest}, which served before the rollback, serves again\nnext: check the target's logs (docker logs ${replicas[0]}), or roll back --to another release from deploy-pipeline history --env ${env.name}`,
        )
      }
      await retire(session, env.config, release, replicas, liveNames)
      const totalSeconds = (performance.now() - started) / 1000
      const how = warm
        ? "its containers were still running: warm"
        : fast
          ? driver.keptRelease
          : "booted again from the image"
      const summary = `rolled back ${env.name} to ${release.digest}: serving ${seconds.toFixed(1)} s after the command started, ${totalSeconds.toFixed(1)} s in all with the watch window (${how})`
      return { result: "succeeded" as const, fast, warm, seconds, totalSeconds, summary }
    })
    return {
      id: outcome.id,
      release,
      from: live[0]?.digest ?? current?.image.digest ?? null,
      fast: outcome.fast,
      warm: outcome.warm,
      seconds: outcome.seconds,
      totalSeconds: outcome.totalSeconds,
      summary: outcome.summary,
      warnings: session.warnings,
    }
  })
}

/**
 * The release to roll back to: --to's, or the one that served before the release serving now. When
 * the proxy serves a release the ledger never recorded live (a deploy killed after its switch),
 * that is the ledger's current release; otherwise the ledger's previous stable one.
 */
async function chooseTarget(
  request: RollbackRequest,
  lastRelease: (digest: string) => Promise<DeployRecord | null>,
  serving: string | null,
  current: DeployRecord | null,
  previousStable: () => Promise<DeployRecord | null>,
): Promise<DeployRecord> {
  const { env } = request
  if (request.to) {
    const digest = request.to.match(/sha256:[a-f0-9]{64}/)?.[0]
    if (!digest)
      throw new DeployError(
        "rollback-target",
        `--to ${request.to} carries no digest; pass sha256:… or repo@sha256:… (see deploy-pipeline history --env ${env.name})`,
      )
    const known = await lastRelease(digest)
    if (!known)
      throw new DeployError(
        "rollback-target",
        `${digest} was never deployed successfully to ${env.name}; roll back to a release from deploy-pipeline history --env ${env.name}`,
      )
    if ((serving ?? current?.image.digest) === digest)
      throw new DeployError("rollback-target", `${digest} is already live in ${env.name}; nothing to do`)
    return known
  }
  if (serving && current && serving !== current.image.digest) return current
  const previous = await previousStable()
  if (!previous)
    throw new DeployError(
      "rollback-target",
      `${env.name} has no previous stable release to roll back to (deploy-pipeline history --env ${env.name} lists what there is)`,
    )
  return previous
}
