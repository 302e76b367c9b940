/**
 * `npm run bench:module`: what one `dagger call` of this module costs in the module's own process,
 * against the smallest module there is. Each call is two runtime invocations (the constructor,
 * then the function with its state), each a fresh process started by the runtime's tsx in the
 * runtime replica (test/harness/replica), against the recording engine. Ours: constructor + `plan
 * --env staging --image …`; the anchor: constructor + `hello` of bench/fixtures/one-function,
 * measured alternately in the same run. Prints the medians of wall and CPU time (user + system)
 * and their ratios; exits 1 when the CPU ratio is above BENCH_MODULE_LIMIT (default 1.15).
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"

import { call } from "../test/harness/chain.js"
import { type RunFunctionResult, runFunction } from "../test/harness/entrypoint.js"
import { startRecordingEngine } from "../test/harness/recording-engine.js"
import { ensureReplica } from "../test/harness/replica/build-replica.js"
import { serveTree, shippedTree } from "../test/helpers/dagger.js"
import { ENVIRONMENTS, ROOT } from "../test/helpers/paths.js"
import { median } from "./process-time.js"

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const LIMIT = Number(process.env.BENCH_MODULE_LIMIT ?? 1.15)
const ANCHOR = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "one-function")
const IMAGE = `registry.example.com/acme/webapp@sha256:${"ab".repeat(32)}`

interface Sample {
  wallMs: number
  cpuMs: number
}

/** The two invocations' figures, summed; fails on a call that did not return. */
function callCost(result: RunFunctionResult): Sample {
  if (result.exitCode !== 0 || result.value === undefined)
    throw new Error(`the call failed (exit ${String(result.exitCode)}): ${result.stderr.slice(-600)}`)
  const runs = [result.constructorRun, result.functionRun!]
  return { wallMs: runs.reduce((t, r) => t + r.time!.wallMs, 0), cpuMs: runs.reduce((t, r) => t + r.time!.cpuMs, 0) }
}

async function main(): Promise<void> {
  await Promise.all([ensureReplica(ROOT), ensureReplica(ANCHOR)])
  const engine = await startRecordingEngine()
  engine.hook = serveTree(shippedTree())
  const environments = engine.makeId([call("host"), call("directory", { path: ENVIRONMENTS })])
  const ours: Sample[] = []
  const anchor: Sample[] = []
  try {
    for (let run = 0; run < RUNS; run++) {
      anchor.push(callCost(await runFunction(engine, { moduleRoot: ANCHOR, fn: "hello", timed: true })))
      ours.push(
        callCost(
          await runFunction(engine, {
            moduleRoot: ROOT,
            fn: "plan",
            constructorArgs: { environments },
            args: { env: "staging", image: IMAGE },
            timed: true,
          }),
        ),
      )
    }
  } finally {
    await engine.stop()
  }
  const row = (name: string, samples: Sample[]) => ({
    name,
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
  })
  const [a, o] = [
    row("one-function module: constructor + hello", anchor),
    row("deploy-pipeline: constructor + plan --env staging", ours),
  ]
  console.log(
    `module call benchmark: median of ${RUNS} calls each, two runtime invocations per call, in the runtime replica`,
  )
  console.log("| call | wall (ms) | CPU (ms) |\n|---|---|---|")
  for (const r of [a, o]) console.log(`| ${r.name} | ${r.wallMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} |`)
  const cpuRatio = o.cpuMs / a.cpuMs
  console.log(
    `ratio (ours ÷ one-function): wall ${(o.wallMs / a.wallMs).toFixed(2)}×, CPU ${cpuRatio.toFixed(2)}× (goal ≤ ${LIMIT}×)`,
  )
  if (cpuRatio > LIMIT) process.exitCode = 1
}

await main()
