/** `lock status` and `lock release`: who holds an environment's deploy lock, and freeing it (a live holder's only with force). */
import type { Environment } from "../config/load.js"
import { renderStatus } from "../deploy/status.js"
import { type DeploySide, shown } from "./deploy-side.js"
import { guarded } from "./error-outcome.js"
import { type Outcome, jsonDocument } from "./outcome.js"

export function lockStatusCommand(
  env: Environment,
  args: { json?: boolean | undefined },
  side: DeploySide,
): Promise<Outcome> {
  return guarded(side.debug, async () => {
    const status = await side.ops.lockStatus(env, await side.engine())
    return shown(args.json, status, () => lockLine(env.name, status))
  })
}

export interface LockReleaseArgs {
  /** End a live holder's Postgres session (recorded). */
  force?: boolean | undefined
  /** Why, for the lock's event log; default "released by hand". */
  reason?: string | undefined
}

/** The release record, always one JSON document. */
export function lockReleaseCommand(env: Environment, args: LockReleaseArgs, side: DeploySide): Promise<Outcome> {
  return guarded(side.debug, async () => {
    const released = await side.ops.releaseLock(env, await side.engine(), {
      reason: args.reason ?? "released by hand",
      terminate: args.force === true,
    })
    return jsonDocument(true, JSON.stringify(released, null, 2))
  })
}

/** The lock line of the status text, on its own. */
function lockLine(env: string, lock: Awaited<ReturnType<DeploySide["ops"]["lockStatus"]>>): string {
  const serving = { state: "idle", digest: null, version: null, note: null } as const
  return renderStatus({ env, serving, current: null, previousStable: null, lock, containers: [] })
    .split("\n")
    .find((l) => l.includes("lock"))!
    .trim()
}
