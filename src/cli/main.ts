/**
 * The `deploy-pipeline` CLI: parses argv, reads files at the edge, runs the same commands the
 * Dagger functions run, and prints outcomes through output.ts: exit codes 0 ok, 1 failed, 2 usage;
 * JSON (--json, --format json) on stdout, errors included.
 * Importing this file has no side effects (the Dagger runtime imports every file in src/).
 */
import { parseArgs } from "node:util"
import { configCheck } from "../commands/config-check.js"
import { type Outcome, failure, renderErrorJson } from "../commands/outcome.js"
import { planCommand } from "../commands/plan.js"
import { readEnvironmentDir } from "../config/read-dir.js"
import { type DeployCliOptions, deployCommand, historyCommand, lockCommand, restoreCommand, rollbackCommand, scaleCommand, statusCommand } from "./deploy-commands.js"
import { alertsCommand } from "../commands/alerts.js"
import { localExecutor } from "../exec/local.js"
import { loadTestOutcome } from "../loadtest/run.js"
import { migrationsCommand } from "./migrations-commands.js"
import { EXIT, emit, printed, wantsJson } from "./output.js"
import { USAGE } from "./usage.js"

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

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
  const json = wantsJson(argv)
  const print = (outcome: Outcome) => emit(io, printed(outcome, json))
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    return print(failure("usage", (error as Error).message))
  }
  const { values, positionals } = parsed
  // `migrations check|trace` takes paths after its two words; every other command is its words.
  const command = positionals[0] === "migrations" ? positionals.slice(0, 2).join(" ") : positionals.join(" ")
  if (command === "" && !values.help && json) return print(failure("usage", "no command given; deploy-pipeline help lists them"))
  if (values.help || command === "help" || command === "") {
    io.stdout(USAGE)
    return command === "" && !values.help ? EXIT.usage : EXIT.ok
  }
  const dir = values.dir ?? "environments"
  try {
    if (values.format !== undefined && values.format !== "text" && values.format !== "json") throw new UsageError(`--format takes text or json; got "${values.format}"`)
    let outcome: Outcome
    switch (command) {
      case "config check":
        outcome = configCheck(await readDir(dir), dir, values.env, { json })
        break
      case "plan":
        if (!values.env) throw new UsageError("plan needs --env NAME")
        outcome = planCommand(await readDir(dir), dir, { env: values.env, image: values.image, json })
        break
      case "alerts":
        if (!values.env) throw new UsageError("alerts needs --env NAME")
        if (json) throw new UsageError("alerts prints Prometheus rules as YAML, with no JSON form; drop --json")
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
        outcome = await loadTestOutcome(localExecutor, { url: values.url, ...(users !== undefined ? { users } : {}), ...(duration !== undefined ? { duration } : {}) }, { json })
        break
      }
      case "migrations check":
      case "migrations trace": {
        outcome = await migrationsCommand(positionals[1]!, { paths: positionals.slice(2), schema: values.schema, database: values.database, pgVersion: values["pg-version"], format: json ? "json" : "text", inPlace: values["in-place"] })
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
          lockWaitSeconds: lockWait === undefined ? undefined : Number(lockWait), to: values.to, json, force: values.force, reason: values.reason,
          migrations: values.migrations, allowUnsafeMigrations: values["allow-unsafe-migrations"],
          service: values.service, replicas: values.replicas === undefined ? undefined : Number(values.replicas),
          id: values.id, confirmRestore: values["confirm-restore"],
          log: values.quiet || json ? () => undefined : (line) => io.stderr(`  ${line}`),
        }
        outcome = await runDeployCommand(command, options)
      }
    }
    return print(outcome)
  } catch (error) {
    if (error instanceof UsageError) return print(failure("usage", error.message))
    if (error instanceof DirError) return print(failure("environments-dir", error.message))
    // A bug: still one JSON document on stdout under --json; the bin then reports it on stderr.
    if (json) io.stdout(renderErrorJson("unexpected", error instanceof Error ? error.message : String(error)))
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
