/** `status` and `history`: what is live and what happened, read from the host and the ledger (no lock). */
import type { Environment } from "../config/load.js"
import { renderHistory, renderStatus } from "../deploy/status.js"
import { type DeploySide, shown } from "./deploy-side.js"
import { guarded } from "./error-outcome.js"
import { type Outcome, jsonDocument } from "./outcome.js"

export function statusCommand(
  env: Environment,
  args: { json?: boolean | undefined },
  side: DeploySide,
): Promise<Outcome> {
  return guarded(side.debug, async () => {
    const status = await side.ops.readStatus(env, await side.engine())
    if (status.serving.state !== "down") return shown(args.json, status, () => renderStatus(status))
    // Down: the report is still the output (stdout), and the exit status says so.
    return args.json
      ? { ...jsonDocument(false, JSON.stringify(status, null, 2)), code: "environment-down" }
      : { ok: false, report: true, code: "environment-down", text: renderStatus(status) }
  })
}

/** How many records history shows when not told. */
export const HISTORY_LIMIT = 20

export function historyCommand(
  env: Environment,
  args: { json?: boolean | undefined; limit?: number | undefined },
  side: DeploySide,
): Promise<Outcome> {
  return guarded(side.debug, async () => {
    const records = await side.ops.readHistory(env, await side.engine(), args.limit ?? HISTORY_LIMIT)
    return shown(args.json, records, () => renderHistory(records))
  })
}
