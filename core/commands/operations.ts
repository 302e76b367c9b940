/** The real operations of the deploy engine, for the surfaces to put in a DeploySide (this loads core/deploy, pg and amqplib included). */
import { deploy } from "../deploy/deploy.js"
import { lockStatus, readHistory, readStatus } from "../deploy/inspect.js"
import { restore } from "../deploy/restore.js"
import { rollback } from "../deploy/rollback.js"
import { scale } from "../deploy/scale.js"
import { buildSource } from "../deploy/source-build.js"
import { DeployLock } from "../ledger/lock/lock.js"
import type { Operations, ReleaseLock } from "./deploy-side.js"

const releaseLock: ReleaseLock = (env, deps, { reason, terminate }) =>
  new DeployLock({ connect: deps.connectLedger, schema: env.config.ledger.schema }).forceRelease(env.name, {
    actor: deps.owner,
    reason,
    terminate,
  })

export const OPERATIONS: Operations = {
  deploy,
  rollback,
  scale,
  restore,
  readStatus,
  readHistory,
  lockStatus,
  releaseLock,
  buildSource,
}
