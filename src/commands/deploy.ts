/** `deploy`: one release, blue-green behind the health gate; a switch-back fails the outcome with the record. */
import type { Environment } from "../config/load.js"
import type { SqlFile } from "../migrations/sql-file.js"
import { type DeploySide, type LockingArgs, lockWait, warningLines } from "./deploy-side.js"
import { guarded } from "./error-outcome.js"
import { type Outcome, failure, jsonDocument, success } from "./outcome.js"

export interface DeployArgs extends LockingArgs {
  /** Pinned as repo@sha256:… (or a local image ID). */
  image: string
  approve?: string | undefined
  version?: string | undefined
  commit?: string | undefined
  /** The pending migrations' SQL; absent, the engine reads them from the release where the gate is enforced. */
  migrations?: SqlFile[] | undefined
  allowUnsafeMigrations?: string | undefined
}

export function deployCommand(env: Environment, args: DeployArgs, side: DeploySide): Promise<Outcome> {
  return guarded(side.debug, async () => {
    const { image, requestedBy, migrations, allowUnsafeMigrations, version, approve, commit } = args
    const request = {
      env, image, requestedBy,
      ...(migrations ? { migrations } : {}),
      ...(allowUnsafeMigrations ? { allowUnsafeMigrations } : {}),
      ...(version ? { version } : {}),
      ...(approve ? { approve } : {}),
      ...(commit ? { commit } : {}),
      ...lockWait(args.lockWaitSeconds),
    }
    // The engine makes its dependencies only after approval and the migrations gate: a refused deploy reads no secret.
    const outcome = await side.ops.deploy(request, side.engine)
    const succeeded = outcome.result === "succeeded"
    if (args.json) return jsonDocument(succeeded, JSON.stringify(outcome, null, 2))
    const text = `deploy #${outcome.id} ${outcome.result}: ${outcome.summary} (${(outcome.durationMs / 1000).toFixed(1)} s)${warningLines(outcome.warnings)}`
    return succeeded ? success(text) : failure("rolled-back", text)
  })
}
