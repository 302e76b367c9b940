/**
 * The `deploy-pipeline` CLI: parses argv, reads files at the edge, runs the same commands the
 * Dagger functions run, and maps outcomes to exit codes (0 ok, 1 failed, 2 usage).
 * Each command's module is imported only when that command runs (COMMANDS below), so `--help`
 * loads no library and `config check` loads yaml and zod but not pg or the WASM SQL parser.
 * Importing this file has no side effects (the Dagger runtime imports every file in src/).
 */
import { parseArgs } from "node:util"
import { type CliIo, type Command, DirError, UsageError } from "./command.js"
import { OPTIONS } from "./options.js"
import { USAGE } from "./usage.js"

export type { CliIo } from "./command.js"

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

/** Each command's words → a loader of the function that runs it. */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  "config check": async () => (await import("./run/environments.js")).configCheck,
  plan: async () => (await import("./run/environments.js")).plan,
  alerts: async () => (await import("./run/environments.js")).alerts,
  "load-test": async () => (await import("./run/load-test.js")).loadTest,
  "migrations check": async () => (await import("./run/migrations.js")).migrations,
  "migrations trace": async () => (await import("./run/migrations.js")).migrations,
  deploy: async () => (await import("./run/deploy.js")).deploy,
  rollback: async () => (await import("./run/deploy.js")).rollback,
  scale: async () => (await import("./run/deploy.js")).scale,
  status: async () => (await import("./run/deploy.js")).status,
  history: async () => (await import("./run/deploy.js")).history,
  "lock status": async () => (await import("./run/deploy.js")).lockStatus,
  "lock release": async () => (await import("./run/deploy.js")).lockRelease,
  "backup restore": async () => (await import("./run/deploy.js")).backupRestore,
}

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
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  if (!load) return usage(io, unknownCommand(command))
  try {
    const outcome = await (await load())({ command, values, positionals, dir: values.dir ?? "environments", io })
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

function unknownCommand(command: string): string {
  return command.startsWith("migrations") ? `unknown command "${command}"; use migrations check or migrations trace` : `unknown command "${command}"`
}

function usage(io: CliIo, message: string): number {
  io.stderr(`deploy-pipeline: ${message}\nRun "deploy-pipeline help" for usage.`)
  return EXIT.usage
}
