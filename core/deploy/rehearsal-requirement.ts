/**
 * deploy.migrations.rehearse: required. A deploy goes ahead only when the ledger holds a passing
 * `migrations rehearse` of the same digest in this environment, no older than max_age; the newest
 * rehearsal of the digest decides (a later failure outweighs an earlier pass). Checked under the
 * lock, before the `started` row: a refusal changes nothing.
 */
import type { Environment } from "../config/load.js"
import { type RecordedRehearsal, latestRehearsal } from "../ledger/rehearsals.js"
import { DeployError } from "./errors.js"
import type { Release } from "./release.js"
import type { EngineDeps } from "./session.js"

export type RehearsalProblem = "rehearsal-missing" | "rehearsal-failed" | "rehearsal-stale"

/** A deploy refused for want of a passing, recent rehearsal; `problem` says which. */
export class RehearsalRequiredError extends DeployError {
  constructor(
    readonly problem: RehearsalProblem,
    message: string,
  ) {
    super("refused", message)
  }
}

/** An age as people say it: 90s, 45m, 24h, 1.5h. */
export function formatAge(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m`
  return `${Math.round(ms / 360_000) / 10}h`
}

/** Why the newest rehearsal does not let the deploy go ahead (pure); undefined when it does. */
export function rehearsalProblem(
  env: string,
  release: Release,
  maxAgeMs: number,
  latest: Pick<RecordedRehearsal, "id" | "result" | "finishedAt" | "error"> | null,
  now: Date,
): RehearsalRequiredError | undefined {
  const next = `next: run deploy-pipeline migrations rehearse --env ${env} --image ${release.image} (or dagger call rehearse-migrations), then deploy again. Nothing was changed`
  const required = `${env} requires a passing migrations rehearsal of ${release.digest} within ${formatAge(maxAgeMs)} (deploy.migrations.rehearse)`
  if (!latest) return new RehearsalRequiredError("rehearsal-missing", `${required}, and the ledger has none\n${next}`)
  if (latest.result !== "passed") {
    return new RehearsalRequiredError(
      "rehearsal-failed",
      `${required}, and the latest, #${latest.id}, failed${latest.error ? `: ${latest.error.split("\n")[0]}` : ""}\nnext: fix the migration, publish a new release and rehearse it. Nothing was changed`,
    )
  }
  const ageMs = now.getTime() - latest.finishedAt.getTime()
  if (ageMs > maxAgeMs)
    return new RehearsalRequiredError(
      "rehearsal-stale",
      `${required}, and the latest, #${latest.id}, passed ${formatAge(ageMs)} ago\n${next}`,
    )
  return undefined
}

/** Refuses the deploy unless the requirement is off or met; reads the ledger on a connection of its own. */
export async function requireRehearsal(
  env: Environment,
  release: Release,
  deps: Pick<EngineDeps, "connectLedger" | "log">,
  now: () => Date = () => new Date(),
): Promise<void> {
  const setting = env.config.deploy.migrations.rehearse
  if (setting?.mode !== "required") return
  const db = await deps.connectLedger()
  try {
    const latest = await latestRehearsal(db, env.config.ledger.schema, env.name, release.digest)
    const problem = rehearsalProblem(env.name, release, setting.max_age, latest, now())
    if (problem) throw problem
    deps.log(`rehearsal #${latest!.id} of ${release.short} passed within ${formatAge(setting.max_age)}`)
  } finally {
    await db.end().catch(() => undefined)
  }
}
