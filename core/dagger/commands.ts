/**
 * The Dagger surface's deploy-side functions, minus their doc comments (those stay on the class in
 * src/index.ts): each maps the function's parameters to the same command in core/commands/ the CLI
 * calls, with a DeploySide built from containers and Secrets (daggerSide; the specs pass fakes).
 */
import type { Secret } from "@dagger.io/dagger"
import type { DeploySide } from "../commands/deploy-side.js"
import { deployCommand } from "../commands/deploy.js"
import { lockReleaseCommand, lockStatusCommand } from "../commands/lock.js"
import { OPERATIONS } from "../commands/operations.js"
import type { Outcome } from "../commands/outcome.js"
import { restoreCommand } from "../commands/restore.js"
import { rollbackCommand } from "../commands/rollback.js"
import { scaleCommand } from "../commands/scale.js"
import { historyCommand, statusCommand } from "../commands/status.js"
import type { Environment } from "../config/load.js"
import { debugRequested } from "../errors/describe.js"
import type { SqlFile } from "../migrations/sql-file.js"
import { type DaggerEngineOptions, type HostAccess, daggerEngine } from "./engine.js"

export type DaggerSideFor = (env: Environment, options: DaggerEngineOptions) => DeploySide

/** Progress lines of side-effecting functions go to the call's log (stderr), never secrets. */
export function progress(line: string): void {
  process.stderr.write(`  ${line}\n`)
}

export const daggerSide: DaggerSideFor = (env, options) => ({
  engine: () => daggerEngine(env, options),
  ops: OPERATIONS,
  debug: debugRequested(),
})

/** Where the engine runs: the host access, and the SSH key that overrides deploy.ssh_key. */
export interface Access extends HostAccess {
  sshKey?: Secret | undefined
}

interface Locking extends Access {
  requestedBy: string
  lockWait?: number | undefined
}

interface DeployParameters extends Locking {
  image: string
  approve?: string | undefined
  version?: string | undefined
  migrations?: SqlFile[] | undefined
  allowUnsafeMigrations?: string | undefined
}

/** The deploy-side functions over `sideFor`, taking the Dagger function's parameters by name. */
export function daggerCommands(sideFor: DaggerSideFor = daggerSide) {
  const side = (
    env: Environment,
    { sshKey, dockerSocket, postgres, memcached, rabbitmq }: Access,
    requestedBy: string,
  ) =>
    sideFor(env, {
      ...(sshKey ? { sshKey } : {}),
      dockerSocket,
      postgres,
      memcached,
      rabbitmq,
      requestedBy,
      log: progress,
    })
  return {
    deploy: (env: Environment, p: DeployParameters): Promise<Outcome> => {
      const { image, approve, version, requestedBy, migrations, allowUnsafeMigrations } = p
      return deployCommand(
        env,
        { image, approve, version, requestedBy, lockWaitSeconds: p.lockWait, migrations, allowUnsafeMigrations },
        side(env, p, requestedBy),
      )
    },
    rollback: (env: Environment, p: Locking & { to?: string | undefined }): Promise<Outcome> =>
      rollbackCommand(
        env,
        { to: p.to, requestedBy: p.requestedBy, lockWaitSeconds: p.lockWait },
        side(env, p, p.requestedBy),
      ),
    restoreBackup: (
      env: Environment,
      p: Locking & { id: string; confirmRestore?: string | undefined },
    ): Promise<Outcome> =>
      restoreCommand(
        env,
        { id: p.id, confirm: p.confirmRestore, requestedBy: p.requestedBy, lockWaitSeconds: p.lockWait },
        side(env, p, p.requestedBy),
      ),
    scale: (env: Environment, p: Locking & { service: string; replicas: number }): Promise<Outcome> =>
      scaleCommand(
        env,
        { service: p.service, replicas: p.replicas, requestedBy: p.requestedBy, lockWaitSeconds: p.lockWait },
        side(env, p, p.requestedBy),
      ),
    status: (env: Environment, p: Access & { json: boolean }): Promise<Outcome> =>
      statusCommand(env, { json: p.json }, side(env, p, "dagger")),
    history: (env: Environment, p: Pick<Access, "postgres"> & { json: boolean; limit: number }): Promise<Outcome> =>
      historyCommand(env, { json: p.json, limit: p.limit }, side(env, { postgres: p.postgres }, "dagger")),
    /** Always the JSON document, as the function always printed it. */
    lockStatus: (env: Environment, p: Pick<Access, "postgres">): Promise<Outcome> =>
      lockStatusCommand(env, { json: true }, side(env, { postgres: p.postgres }, "dagger")),
    lockRelease: (
      env: Environment,
      p: Pick<Access, "postgres"> & { force: boolean; reason: string; requestedBy: string },
    ): Promise<Outcome> =>
      lockReleaseCommand(env, { force: p.force, reason: p.reason }, side(env, { postgres: p.postgres }, p.requestedBy)),
  }
}
