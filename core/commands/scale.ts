/** `scale`: the live release's web replicas; new ones pass the health gate before they get traffic. */
import type { Environment } from "../config/load.js"
import { type DeploySide, type LockingArgs, lockWait, shown } from "./deploy-side.js"
import { guarded } from "./error-outcome.js"
import type { Outcome } from "./outcome.js"

export interface ScaleArgs extends LockingArgs {
  service: string
  replicas: number
}

export function scaleCommand(env: Environment, args: ScaleArgs, side: DeploySide): Promise<Outcome> {
  return guarded(side.debug, async () => {
    const outcome = await side.ops.scale(
      {
        env,
        service: args.service,
        replicas: args.replicas,
        requestedBy: args.requestedBy,
        ...lockWait(args.lockWaitSeconds),
      },
      await side.engine(),
    )
    return shown(args.json, outcome, () => `scale #${outcome.id}: ${outcome.summary}`)
  })
}
