#!/usr/bin/env node
// The deploy-pipeline CLI. It loads the TypeScript sources through tsx (no build step) and runs
// them through runBin (src/cli/bin.ts), which turns any unexpected failure into one line on stderr.
import { register } from "tsx/esm/api"

register()
const { runBin } = await import("../src/cli/bin.ts")
process.exitCode = await runBin(process.argv.slice(2))
