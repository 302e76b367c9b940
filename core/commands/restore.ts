/** `backup restore` (Dagger: restoreBackup): a deploy's backup over the environment's database, only when the id is repeated. */
import type { Environment } from "../config/load.js"
import { type DeploySide, type LockingArgs, lockWait, shown } from "./deploy-side.js"
import { guarded } from "./error-outcome.js"
import type { Outcome } from "./outcome.js"

export interface RestoreArgs extends LockingArgs {
  /** The backup id, from history's backup column. */
  id: string
  /** The same id again; anything else restores nothing. */
  confirm?: string | undefined
}

export function restoreCommand(env: Environment, args: RestoreArgs, side: DeploySide): Promise<Outcome> {
  return guarded(side.debug, async () => {
    const outcome = await side.ops.restore(
      {
        env,
        id: args.id,
        ...(args.confirm !== undefined ? { confirm: args.confirm } : {}),
        requestedBy: args.requestedBy,
        ...lockWait(args.lockWaitSeconds),
      },
      await side.engine(),
    )
    return shown(args.json, outcome, () => `restore #${outcome.id}: ${outcome.summary}`)
  })
}
