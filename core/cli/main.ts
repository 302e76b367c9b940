/**
 * The `deploy-pipeline` CLI: parses argv, reads files at the edge, runs the same commands the
 * Dagger functions run, and prints outcomes through output.ts: exit codes 0 ok, 1 failed, 2 usage;
 * JSON (--json, --format json) on stdout, errors included.
 * Each command's module is imported only when that command runs (COMMANDS below), so `--help`
 * loads no library and `config check` loads yaml and zod but not pg or the WASM SQL parser.
 * Importing this file has no side effects.
 */
import { parseArgs } from "node:util"
import { errorOutcome } from "../commands/error-outcome.js"
import { type Outcome, failure, renderErrorJson } from "../commands/outcome.js"
import { debugRequested } from "../errors/describe.js"
import { PipelineError } from "../errors/pipeline-error.js"
import { type CliIo, type Command, UsageError } from "./command.js"
import { OPTIONS } from "./options.js"
import { EXIT, emit, printed, wantsJson } from "./output.js"
import { USAGE } from "./usage.js"

export type { CliIo } from "./command.js"

/** Each command's words → a loader of the function that runs it. */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  "config check": async () => (await import("./run/environments.js")).configCheck,
  plan: async () => (await import("./run/environments.js")).plan,
  alerts: async () => (await import("./run/environments.js")).alerts,
  "load-test": async () => (await import("./run/load-test.js")).loadTest,
  "migrations check": async () => (await import("./run/migrations.js")).migrations,
  "migrations trace": async () => (await import("./run/migrations.js")).migrations,
  "migrations rehearse": async () => (await import("./run/rehearse.js")).rehearse,
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
  if (command === "" && !values.help && json)
    return print(failure("usage", "no command given; deploy-pipeline help lists them"))
  if (values.help || command === "help" || command === "") {
    io.stdout(USAGE)
    return command === "" && !values.help ? EXIT.usage : EXIT.ok
  }
  try {
    if (values.format !== undefined && values.format !== "text" && values.format !== "json")
      throw new UsageError(`--format takes text or json; got "${values.format}"`)
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
    if (!load) throw new UsageError(unknownCommand(command))
    return print(await (await load())({ command, values, positionals, dir: values.dir ?? "environments", json, io }))
  } catch (error) {
    // Usage errors, an unreadable --dir, and any typed failure a command did not turn into an outcome.
    if (error instanceof PipelineError) return print(errorOutcome(error, debugRequested()))
    // A bug: still one JSON document on stdout under --json; the bin then reports it on stderr.
    if (json) io.stdout(renderErrorJson("unexpected", error instanceof Error ? error.message : String(error)))
    throw error
  }
}

function unknownCommand(command: string): string {
  return command.startsWith("migrations")
    ? `unknown command "${command}"; use migrations check, migrations trace or migrations rehearse`
    : `unknown command "${command}"`
}
