/** `deploy`: one release, blue-green behind the health gate; a switch-back fails the outcome with the record. */
import type { Environment } from "../config/load.js"
import type { SourceBuild } from "../deploy/source-build.js"
import type { SqlFile } from "../migrations/sql-file.js"
import { type DeploySide, type LockingArgs, lockWait, warningLines } from "./deploy-side.js"
import { guarded } from "./error-outcome.js"
import { type Outcome, failure, jsonDocument, success } from "./outcome.js"

export interface DeployArgs extends LockingArgs {
  /** Pinned as repo@sha256:… (or a local image ID). Absent in development: the source is built (`source`). */
  image?: string | undefined
  /** Development without an image: the folder whose Dockerfile is built, and its build args. */
  source?: SourceBuild | undefined
  approve?: string | undefined
  version?: string | undefined
  commit?: string | undefined
  /** The pending migrations' SQL; absent, the engine reads them from the release where the gate is enforced. */
  migrations?: SqlFile[] | undefined
  allowUnsafeMigrations?: string | undefined
}

export function deployCommand(env: Environment, args: DeployArgs, side: DeploySide): Promise<Outcome> {
  return guarded(side.debug, async () => {
    const { requestedBy, migrations, allowUnsafeMigrations, version, approve, commit } = args
    let engine = side.engine
    let image = args.image
    if (image === undefined) {
      if (env.config.tier !== "development" || !args.source) {
        return failure(
          "missing-option",
          `deploy needs --image REF (repo@sha256:… as publish prints it); only development builds the source when it is left out`,
        )
      }
      // Development has no approval to wait for: the engine is made first, and the deploy reuses it.
      const deps = await side.engine()
      image = await side.ops.buildSource(env, deps, args.source)
      engine = async () => deps
    }
    const request = {
      env,
      image,
      requestedBy,
      ...(migrations ? { migrations } : {}),
      ...(allowUnsafeMigrations ? { allowUnsafeMigrations } : {}),
      ...(version ? { version } : {}),
      ...(approve ? { approve } : {}),
      ...(commit ? { commit } : {}),
      ...lockWait(args.lockWaitSeconds),
    }
    // The engine makes its dependencies only after approval and the migrations gate: a refused deploy reads no secret.
    const outcome = await side.ops.deploy(request, engine)
    const succeeded = outcome.result === "succeeded"
    if (args.json) return jsonDocument(succeeded, JSON.stringify(outcome, null, 2))
    const text = `deploy #${outcome.id} ${outcome.result}: ${outcome.summary} (${(outcome.durationMs / 1000).toFixed(1)} s)${warningLines(outcome.warnings)}`
    return succeeded ? success(text) : failure("rolled-back", text)
  })
}
