/** `rollback`: back to the previous stable release, or to a digest from history, through the same gate. */
import type { Environment } from "../config/load.js"
import { type DeploySide, type LockingArgs, lockWait, shown, warningLines } from "./deploy-side.js"
import { guarded } from "./error-outcome.js"
import type { Outcome } from "./outcome.js"

export interface RollbackArgs extends LockingArgs {
  /** A digest (sha256:…) from history; default the previous stable release. */
  to?: string | undefined
}

export function rollbackCommand(env: Environment, args: RollbackArgs, side: DeploySide): Promise<Outcome> {
  return guarded(side.debug, async () => {
    const outcome = await side.ops.rollback(
      { env, requestedBy: args.requestedBy, ...(args.to ? { to: args.to } : {}), ...lockWait(args.lockWaitSeconds) },
      await side.engine(),
    )
    return shown(
      args.json,
      outcome,
      () => `rollback #${outcome.id}: ${outcome.summary}${warningLines(outcome.warnings)}`,
    )
  })
}
