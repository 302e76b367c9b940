/**
 * The health gate as deploy, rollback and scale run it: new replicas get no traffic until each
 * passes healthy_threshold probes in a row from inside the proxy, before the deadline; when they
 * do not, the caller's undo runs and the failure says what kept serving, then the gate's report.
 */
import type { Environment } from "../../config/load.js"
import { formatDuration } from "../../config/units.js"
import { HealthGateError, formatGateFailure } from "../../health/gate-error.js"
import { waitHealthy } from "../../health/wait-healthy.js"
import { DeployError } from "../errors.js"
import { proxyProbe } from "../probe.js"
import { probeHost } from "../probe-host.js"
import type { Release } from "../release.js"
import type { EngineDeps, Session } from "../session.js"

/** What a failed gate leaves behind: the undo to run, and the sentence that opens the failure. */
export interface GateFailure {
  undo(): Promise<void>
  refusal: string
}

/** The health-gate phase over `replicas` (as the driver booted them); on failure, undo and a DeployError("health-gate"). */
export async function gateOrUndo(
  session: Session,
  deps: EngineDeps,
  env: Environment,
  release: Release,
  replicas: readonly string[],
  failure: GateFailure,
  /** Passes in a row required; default health.healthy_threshold (a warm release, already proven, needs one). */
  threshold = env.config.health.healthy_threshold,
): Promise<void> {
  try {
    await session.phase(
      "health-gate",
      () => gate(session, deps, env, release, replicas, threshold),
      (passes) => passes,
    )
  } catch (error) {
    await failure.undo()
    if (error instanceof HealthGateError)
      throw new DeployError("health-gate", `${failure.refusal}\n${formatGateFailure(error.failure)}`, { cause: error })
    throw error
  }
}

/** Every new replica must pass healthy_threshold probes in a row, from inside the proxy, before the deadline; each probe sends the app's Host (probe-host.ts). */
async function gate(
  session: Session,
  deps: EngineDeps,
  env: Environment,
  release: Release,
  replicas: readonly string[],
  threshold: number,
): Promise<string> {
  const { health, app } = env.config
  const hosts = await session.driver.probeHosts(replicas, deps.timing)
  const { host } = probeHost(env.config)
  const reports = await Promise.all(
    hosts.map((name) =>
      waitHealthy(
        proxyProbe(deps.executor, {
          proxy: session.driver.names.proxy,
          url: `http://${name}:${app.port}${health.path}`,
          hostHeader: host,
          expectStatus: health.expect_status,
          expectVersion: release.version,
        }),
        {
          intervalMs: health.interval,
          timeoutMs: health.timeout,
          healthyThreshold: threshold,
          deadlineMs: health.start_deadline,
        },
        deps.timing,
      ),
    ),
  )
  return `${hosts.length} replica(s) passed ${threshold} check${threshold === 1 ? "" : "s"} in a row (slowest ${formatDuration(Math.max(...reports.map((r) => r.elapsedMs)))})`
}
