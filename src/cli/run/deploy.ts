/**
 * The deploy-side commands (deploy, rollback, scale, status, history, lock, backup restore): each
 * needs --env, reads the environments folder, then runs through the local engine (pg, amqplib
 * and the health probes load here).
 */
import type { Outcome } from "../../commands/outcome.js"
import { type Command, type CommandRequest, UsageError } from "../command.js"
import { type DeployCliOptions, deployCommand, historyCommand, lockCommand, restoreCommand, rollbackCommand, scaleCommand, statusCommand } from "../deploy-commands.js"
import { readEnvironments } from "../read-environments.js"

async function options({ command, values, dir, json, io }: CommandRequest): Promise<DeployCliOptions> {
  if (!values.env) throw new UsageError(`${command} needs --env NAME`)
  const lockWait = values["lock-wait"]
  if (lockWait !== undefined && !/^\d+$/.test(lockWait)) throw new UsageError(`--lock-wait takes whole seconds, such as 300; got "${lockWait}"`)
  await readEnvironments(dir)
  return {
    dir, env: values.env, image: values.image, version: values.version, approve: values.approve, commit: values.commit,
    lockWaitSeconds: lockWait === undefined ? undefined : Number(lockWait), to: values.to, json, force: values.force, reason: values.reason,
    migrations: values.migrations, allowUnsafeMigrations: values["allow-unsafe-migrations"],
    service: values.service, replicas: values.replicas === undefined ? undefined : Number(values.replicas),
    id: values.id, confirmRestore: values["confirm-restore"],
    log: values.quiet || json ? () => undefined : (line) => io.stderr(`  ${line}`),
  }
}

const withOptions = (run: (options: DeployCliOptions) => Promise<Outcome>): Command => async (request) => run(await options(request))

export const deploy = withOptions(deployCommand)
export const rollback = withOptions(rollbackCommand)
export const scale = withOptions(scaleCommand)
export const status = withOptions(statusCommand)
export const history = withOptions(historyCommand)
export const lockStatus = withOptions((o) => lockCommand("status", o))
export const lockRelease = withOptions((o) => lockCommand("release", o))
export const backupRestore = withOptions(restoreCommand)
