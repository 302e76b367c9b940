#!/usr/bin/env node
// The deploy-pipeline CLI. It loads the TypeScript sources through tsx (no build step), runs
// them, and turns any unexpected failure into one line on stderr, never a stack trace
// (set DEPLOY_PIPELINE_DEBUG=1 to see one).
import { register } from "tsx/esm/api"

register()
const { runCli } = await import("../src/cli/main.ts")
const write = (stream) => (text) => stream.write(text.endsWith("\n") ? text : `${text}\n`)
try {
  process.exitCode = await runCli(process.argv.slice(2), { stdout: write(process.stdout), stderr: write(process.stderr) })
} catch (error) {
  process.stderr.write(`deploy-pipeline: ${error instanceof Error ? error.message : String(error)}\n`)
  if (process.env.DEPLOY_PIPELINE_DEBUG) console.error(error)
  process.exitCode = 1
}
