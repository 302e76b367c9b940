/**
 * Restoring a deploy's backup over the environment's database: explicit and confirmed (the id
 * repeated as --confirm-restore), under the deploy lock so no deploy runs meanwhile, recorded in
 * the ledger as a `restore` row. The backup is found through the ledger row that took it, which
 * also says where it is kept: a directory of this machine (the CLI), or the Docker host (Dagger),
 * from where the store fetches it first. The ledger schema is left as it was, so the history
 * survives the restore, including this row. It sends no events (their vocabulary is deploys and
 * rollbacks).
 */
import { dirname } from "node:path"
import { backupSettings } from "../backup/config.js"
import { restoreRefusedMessage } from "../backup/messages.js"
import { restoreBackup } from "../backup/restore.js"
import type { Environment } from "../config/load.js"
import type { StartInput } from "../ledger/record.js"
import { DeployError } from "./errors.js"
import { type EngineDeps, withSession } from "./session.js"

export interface RestoreRequest {
  env: Environment
  /** The backup id, as history's backup column shows it. */
  id: string
  /** Must repeat the id; anything else changes nothing. */
  confirm?: string
  requestedBy: string
  lockWaitMs?: number
}

export interface RestoreOutcome {
  id: number
  backup: string
  sha256: string
  summary: string
}

export async function restore(request: RestoreRequest, deps: EngineDeps): Promise<RestoreOutcome> {
  const { env, id } = request
  const settings = backupSettings(env.name, env.config)
  const password = deps.secretValues.POSTGRES_PASSWORD
  const target = { ...settings.source, ...(password ? { password } : {}) }
  if (request.confirm !== id) throw new DeployError("refused", restoreRefusedMessage(id, request.confirm, target))
  const executor = deps.backupExecutor
  if (!executor)
    throw new DeployError(
      "refused",
      "this deploy engine has no backup executor (pg_restore); use the CLI's or the Dagger engine. Nothing was restored",
    )
  const info = {
    env,
    action: "restore" as const,
    lockWaitMs: request.lockWaitMs ?? env.config.deploy.lock_wait,
    message: `restoring backup ${id}`,
  }
  return withSession(info, deps, async (session) => {
    const { ledger } = session
    const taken = await ledger.backupTakenBy(env.name, id)
    if (!taken?.backup)
      throw new DeployError(
        "refused",
        `no deploy of ${env.name} recorded a backup ${id}; deploy-pipeline history --env ${env.name} shows each deploy's backup. Nothing was restored`,
      )
    const backup = taken.backup
    const current = await ledger.current(env.name)
    const start: Omit<StartInput, "owner" | "lock"> = {
      env: env.name,
      action: "restore",
      requestedBy: request.requestedBy,
      approval: null,
      image: current?.image ?? taken.image,
      commit: null,
      configHash: env.hash,
      previousDigest: current?.image.digest ?? null,
      colorFrom: null,
      colorTo: null,
    }
    const outcome = await session.track(start, "backup", async (row) => {
      await ledger.amend(row, { backup })
      const store = deps.backupStore
      const fetched = store
        ? await session.phase(
            "fetch",
            () => store.fetch(backup, (current ?? taken).image.ref),
            () => `copied from ${backup.location}`,
          )
        : { dir: dirname(backup.location), done: async () => undefined }
      try {
        const restored = await session.phase(
          "restore",
          () =>
            restoreBackup({
              id,
              confirm: request.confirm,
              location: fetched.dir,
              target,
              executor,
              keepSchemas: [env.config.ledger.schema],
            }),
          (r) => `restored ${r.id} (sha256 ${r.sha256.slice(0, 12)}) into ${target.database}`,
        )
        const summary = `restored ${env.name}'s database ${target.database} from ${restored.id}, taken before deploy #${taken.id}; writes since then are gone, the ledger (schema ${env.config.ledger.schema}) kept its history`
        return { result: "succeeded" as const, summary, sha256: restored.sha256 }
      } finally {
        await fetched.done()
      }
    })
    return { id: outcome.id, backup: id, sha256: outcome.sha256, summary: outcome.summary }
  })
}
