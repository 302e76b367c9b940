#!/usr/bin/env node
// The deploy-pipeline CLI: runs the JavaScript that `npm run build` compiles into dist/ (npm ci and
// npm pack build it through the prepare script). No TypeScript loader at run time; each command
// loads its own libraries when it runs (core/cli/main.ts).
import module from "node:module"

module.enableCompileCache?.() // Node 22.1+: reuse V8's compiled code across runs; Node 20 has none
let runBin
try {
  ;({ runBin } = await import("../dist/cli/bin.js"))
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/cli/bin.js")) throw error
  process.stderr.write("deploy-pipeline: dist/ is missing; run `npm run build` in the package folder first\n")
  process.exit(1)
}
process.exitCode = await runBin(process.argv.slice(2))
