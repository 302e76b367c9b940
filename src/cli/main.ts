/**
 * The `deploy-pipeline` CLI: parses argv, reads files at the edge, runs the same commands the
 * Dagger functions run, and maps outcomes to exit codes (0 ok, 1 failed, 2 usage).
 * Importing this file has no side effects (the Dagger runtime imports every file in src/).
 */
import { parseArgs } from "node:util"
import { configCheck } from "../commands/config-check.js"
import type { Outcome } from "../commands/outcome.js"
import { planCommand } from "../commands/plan.js"
import { readEnvironmentDir } from "../config/read-dir.js"
import { type DeployCliOptions, deployCommand, historyCommand, lockCommand, restoreCommand, rollbackCommand, scaleCommand, statusCommand } from "./deploy-commands.js"
import { alertsCommand } from "../commands/alerts.js"
import { localExecutor } from "../exec/local.js"
import { loadTestOutcome } from "../loadtest/run.js"
import { migrationsCommand } from "./migrations-commands.js"
import { USAGE } from "./usage.js"

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

const OPTIONS = {
  dir: { type: "string" },
  env: { type: "string" },
  image: { type: "string" },
  version: { type: "string" },
  approve: { type: "string" },
  commit: { type: "string" },
  "lock-wait": { type: "string" },
  to: { type: "string" },
  force: { type: "boolean" },
  reason: { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  schema: { type: "string" },
  database: { type: "string" },
  "pg-version": { type: "string" },
  format: { type: "string" },
  "in-place": { type: "boolean" },
  migrations: { type: "string" },
  "allow-unsafe-migrations": { type: "string" },
  service: { type: "string" },
  replicas: { type: "string" },
  url: { type: "string" },
  users: { type: "string" },
  duration: { type: "string" },
  id: { type: "string" },
  "confirm-restore": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

const DEPLOY_COMMANDS = ["deploy", "rollback", "scale", "status", "history", "lock status", "lock release", "backup restore"]

class UsageError extends Error {}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    return usage(io, (error as Error).message)
  }
  const { values, positionals } = parsed
  // `migrations check|trace` takes paths after its two words; every other command is its words.
  const command = positionals[0] === "migrations" ? positionals.slice(0, 2).join(" ") : positionals.join(" ")
  if (values.help || command === "help" || command === "") {
    io.stdout(USAGE)
    return command === "" && !values.help ? EXIT.usage : EXIT.ok
  }
  const dir = values.dir ?? "environments"
  try {
    let outcome: Outcome
    switch (command) {
      case "config check":
        outcome = configCheck(await readDir(dir), dir, values.env)
        break
      case "plan":
        if (!values.env) throw new UsageError("plan needs --env NAME")
        outcome = planCommand(await readDir(dir), dir, { env: values.env, image: values.image, json: values.json })
        break
      case "alerts":
        if (!values.env) throw new UsageError("alerts needs --env NAME")
        outcome = alertsCommand(await readDir(dir), dir, values.env)
        break
      case "load-test": {
        if (!values.url) throw new UsageError("load-test needs --url URL (the only address it sends requests to)")
        const number = (name: "users" | "duration") => {
          const text = values[name]
          if (text === undefined) return undefined
          if (!/^\d+$/.test(text)) throw new UsageError(`--${name} takes a whole number; got "${text}"`)
          return Number(text)
        }
        const users = number("users")
        const duration = number("duration")
        outcome = await loadTestOutcome(localExecutor, { url: values.url, ...(users !== undefined ? { users } : {}), ...(duration !== undefined ? { duration } : {}) }, { json: values.json === true })
        break
      }
      case "migrations check":
      case "migrations trace": {
        const result = await migrationsCommand(positionals[1]!, { paths: positionals.slice(2), schema: values.schema, database: values.database, pgVersion: values["pg-version"], format: values.format, inPlace: values["in-place"] })
        if (typeof result === "string") throw new UsageError(result)
        outcome = result
        break
      }
      default: {
        if (!DEPLOY_COMMANDS.includes(command)) throw new UsageError(`unknown command "${command}"`)
        if (!values.env) throw new UsageError(`${command} needs --env NAME`)
        const lockWait = values["lock-wait"]
        if (lockWait !== undefined && !/^\d+$/.test(lockWait)) throw new UsageError(`--lock-wait takes whole seconds, such as 300; got "${lockWait}"`)
        await readDir(dir)
        const options: DeployCliOptions = {
          dir, env: values.env, image: values.image, version: values.version, approve: values.approve, commit: values.commit,
          lockWaitSeconds: lockWait === undefined ? undefined : Number(lockWait), to: values.to, json: values.json, force: values.force, reason: values.reason,
          migrations: values.migrations, allowUnsafeMigrations: values["allow-unsafe-migrations"],
          service: values.service, replicas: values.replicas === undefined ? undefined : Number(values.replicas),
          id: values.id, confirmRestore: values["confirm-restore"],
          log: values.quiet || values.json ? () => undefined : (line) => io.stderr(`  ${line}`),
        }
        outcome = await runDeployCommand(command, options)
      }
    }
    ;(outcome.ok ? io.stdout : io.stderr)(outcome.text)
    return outcome.ok ? EXIT.ok : EXIT.failed
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message)
    if (error instanceof DirError) {
      io.stderr(`deploy-pipeline: ${error.message}`)
      return EXIT.failed
    }
    throw error
  }
}

class DirError extends Error {}

function runDeployCommand(command: string, options: DeployCliOptions): Promise<Outcome> {
  switch (command) {
    case "deploy":
      return deployCommand(options)
    case "rollback":
      return rollbackCommand(options)
    case "scale":
      return scaleCommand(options)
    case "status":
      return statusCommand(options)
    case "history":
      return historyCommand(options)
    case "backup restore":
      return restoreCommand(options)
    default:
      return lockCommand(command === "lock release" ? "release" : "status", options)
  }
}

async function readDir(dir: string) {
  try {
    return await readEnvironmentDir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new DirError(code === "ENOENT" ? `no folder ${dir}; run from the repository root or pass --dir DIR` : `cannot read ${dir}: ${(error as Error).message}`)
  }
}

function usage(io: CliIo, message: string): number {
  io.stderr(`deploy-pipeline: ${message}\nRun "deploy-pipeline help" for usage.`)
  return EXIT.usage
}
