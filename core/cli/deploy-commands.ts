/**
 * The CLI's deploy-side commands: deploy, rollback, scale, status, history, lock status|release,
 * backup restore. Each parses its options, reads the environments folder once, and calls the same
 * command in core/commands/ the Dagger function calls, with a DeploySide built for the environment
 * (run/deploy.ts passes this machine's; the specs pass fakes).
 */
import { selectEnvironments } from "../commands/environments.js"
import type { DeploySide } from "../commands/deploy-side.js"
import { deployCommand } from "../commands/deploy.js"
import { guarded } from "../commands/error-outcome.js"
import { lockReleaseCommand, lockStatusCommand } from "../commands/lock.js"
import { type Outcome, failure } from "../commands/outcome.js"
import { restoreCommand } from "../commands/restore.js"
import { rollbackCommand } from "../commands/rollback.js"
import { scaleCommand } from "../commands/scale.js"
import { historyCommand, statusCommand } from "../commands/status.js"
import type { Environment } from "../config/load.js"
import { type Command, type CommandRequest, UsageError } from "./command.js"
import type { CliValues } from "./options.js"
import { readEnvironments } from "./read-environments.js"
import { readSqlArguments } from "./sql-inputs.js"

/** The side a command runs with, for one environment; `log` takes progress lines (nothing under --quiet or --json). */
export type CliSideFor = (env: Environment, log: (line: string) => void) => DeploySide

/** What every deploy-side command gets: the environment, its side, the flags, and the requester. */
interface Parsed {
  env: Environment
  side: DeploySide
  values: CliValues
  json: boolean
  requestedBy: string
  lockWaitSeconds: number | undefined
}

type Run = (parsed: Parsed) => Promise<Outcome>

export type DeploySideCommand =
  "deploy" | "rollback" | "scale" | "status" | "history" | "lockStatus" | "lockRelease" | "backupRestore"

/** The deploy-side commands over `sideFor`, as main.ts's dispatch table runs them. */
export function deploySideCommands(sideFor: CliSideFor, requestedBy: () => string): Record<DeploySideCommand, Command> {
  const command =
    (run: Run): Command =>
    async (request) => {
      const lockWaitSeconds = lockWaitOf(request)
      const selected = selectEnvironments(await readEnvironments(request.dir), request.dir, request.values.env)
      if (!selected.ok) return selected.outcome
      const env = selected.environments[0]!
      const { values, json, io } = request
      const log = values.quiet || json ? () => undefined : (line: string) => io.stderr(`  ${line}`)
      return run({ env, side: sideFor(env, log), values, json, requestedBy: requestedBy(), lockWaitSeconds })
    }
  return {
    deploy: command(async ({ env, side, values, json, requestedBy, lockWaitSeconds }) => {
      const image = values.image
      const args = buildArgs(values["build-arg"] ?? [])
      if (typeof args === "string") return failure("invalid-option", args)
      // Without --image (development only) the deploy builds the Dockerfile in --source, default this folder.
      const source = image ? undefined : { context: values.source ?? ".", args }
      return guarded(side.debug, async () => {
        // Without --migrations the deploy reads them from the release where the gate is enforced.
        const migrations = values.migrations ? await readSqlArguments([values.migrations]) : undefined
        const { approve, version, commit, "allow-unsafe-migrations": allowUnsafeMigrations } = values
        return deployCommand(
          env,
          {
            image,
            source,
            requestedBy,
            json,
            lockWaitSeconds,
            migrations,
            approve,
            version,
            commit,
            allowUnsafeMigrations,
          },
          side,
        )
      })
    }),
    rollback: command(({ env, side, values, json, requestedBy, lockWaitSeconds }) =>
      rollbackCommand(env, { to: values.to, requestedBy, json, lockWaitSeconds }, side),
    ),
    scale: command(async ({ env, side, values, json, requestedBy, lockWaitSeconds }) => {
      if (!values.service || values.replicas === undefined)
        return failure("missing-option", "scale needs --service web --replicas N")
      return scaleCommand(
        env,
        { service: values.service, replicas: Number(values.replicas), requestedBy, json, lockWaitSeconds },
        side,
      )
    }),
    status: command(({ env, side, json }) => statusCommand(env, { json }, side)),
    history: command(({ env, side, json }) => historyCommand(env, { json }, side)),
    lockStatus: command(({ env, side, json }) => lockStatusCommand(env, { json }, side)),
    lockRelease: command(({ env, side, values }) =>
      lockReleaseCommand(env, { force: values.force, reason: values.reason }, side),
    ),
    backupRestore: command(async ({ env, side, values, json, requestedBy, lockWaitSeconds }) => {
      if (!values.id)
        return failure(
          "missing-option",
          "backup restore needs --id ID (the backup column of deploy-pipeline history) and --confirm-restore ID",
        )
      return restoreCommand(
        env,
        { id: values.id, confirm: values["confirm-restore"], requestedBy, json, lockWaitSeconds },
        side,
      )
    }),
  }
}

/** --env is required and --lock-wait takes whole seconds: usage errors, before anything is read. */
function lockWaitOf({ command, values }: CommandRequest): number | undefined {
  if (!values.env) throw new UsageError(`${command} needs --env NAME`)
  const lockWait = values["lock-wait"]
  if (lockWait !== undefined && !/^\d+$/.test(lockWait))
    throw new UsageError(`--lock-wait takes whole seconds, such as 300; got "${lockWait}"`)
  return lockWait === undefined ? undefined : Number(lockWait)
}

/** --build-arg NAME=VALUE, repeated: the values, or what is wrong with one. */
export function buildArgs(given: readonly string[]): Record<string, string> | string {
  const args: Record<string, string> = {}
  for (const arg of given) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(arg)
    if (!match) return `--build-arg takes NAME=VALUE, such as PYTHON_IMAGE=python:3.12-slim; got "${arg}"`
    args[match[1]!] = match[2]!
  }
  return args
}
