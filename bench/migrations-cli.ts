/**
 * A stand-in for `deploy-pipeline migrations check` until the lead wires it into core/cli/main.ts:
 * the benchmark needs our analyzer as a process, loaded the way bin/deploy-pipeline.js loads the
 * CLI (TypeScript through tsx, no build step), so its startup cost is the real one.
 * Usage: node --import tsx bench/migrations-cli.ts FILE|DIR... [--schema FILE] [--pg-version N] [--format json]
 */
import { readFile } from "node:fs/promises"
import { migrationsCheck } from "../core/commands/migrations-check.js"
import { readSqlInputs } from "../core/migrations/read-inputs.js"

const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(name)
  if (i < 0) return undefined
  const value = args[i + 1]
  args.splice(i, 2)
  return value
}
const schemaPath = option("--schema")
const pgVersion = option("--pg-version")
const format = option("--format") === "json" ? "json" : "text"
const files = await readSqlInputs(args)
const outcome = await migrationsCheck(files, {
  format,
  ...(pgVersion ? { pgVersion } : {}),
  ...(schemaPath ? { schema: { path: schemaPath, content: await readFile(schemaPath, "utf8") } } : {}),
})
process.stdout.write(`${outcome.text}\n`)
process.exitCode = outcome.ok ? 0 : 1
