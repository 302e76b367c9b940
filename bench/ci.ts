/**
 * `npm run bench:ci`: does `ci` really run its stages concurrently? The recording engine adds a
 * fixed latency to every evaluation, so each stage costs its chain of dependent round trips.
 * Each stage is timed alone, then `ci`; the anchor is the slowest stage, measured in the same
 * run. Concurrent stages make ci ≈ the slowest stage (ratio ≈ 1); sequential ones make it the sum.
 * Exits 1 when the ratio is above 1.3.
 */
import { connection, dag, type DirectoryID } from "@dagger.io/dagger"
import { DeployPipeline } from "../src/index.js"
import { call } from "../test/harness/chain.js"
import { startRecordingEngine } from "../test/harness/recording-engine.js"
import { DJANGO_APP, firstOf, serveTree, shippedTree } from "../test/helpers/dagger.js"
import { ENVIRONMENTS } from "../test/helpers/paths.js"
import { median } from "./process-time.js"

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 150)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const LIMIT = 1.3

async function main(): Promise<void> {
  const engine = await startRecordingEngine({ latencyMs: LATENCY_MS })
  engine.hook = firstOf(serveTree(shippedTree()), ({ chain, leaf }) =>
    leaf.field === "entries" && chain.at(-1)?.args.path === "/reports" ? ["coverage.xml", "junit/"] : undefined,
  )
  Object.assign(process.env, engine.sessionEnv(engine.newSession()))
  const times: Record<string, number[]> = { lint: [], test: [], scan: [], build: [], ci: [] }
  await connection(async () => {
    const source = dag.loadDirectoryFromID(
      engine.makeId([call("host"), call("directory", { path: DJANGO_APP })]) as DirectoryID,
    )
    const environments = dag.loadDirectoryFromID(
      engine.makeId([call("host"), call("directory", { path: ENVIRONMENTS })]) as DirectoryID,
    )
    const pipeline = new DeployPipeline(source, environments)
    const stages: Record<string, () => Promise<unknown>> = {
      lint: () => pipeline.lint(),
      test: async () => (await pipeline.test()).entries(),
      scan: async () => (await pipeline.scan()).check(),
      build: () => pipeline.buildMultiArch(),
      ci: () => pipeline.ci(),
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, run] of Object.entries(stages)) {
        const started = performance.now()
        await run()
        times[name]!.push(performance.now() - started)
      }
    }
  })
  await engine.stop()
  const medians = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]))
  const stageNames = ["lint", "test", "scan", "build"]
  const slowest = stageNames.reduce((a, b) => (medians[a]! >= medians[b]! ? a : b))
  const ratio = medians.ci! / medians[slowest]!
  const sum = stageNames.reduce((total, name) => total + medians[name]!, 0)
  console.log(`ci concurrency benchmark: ${LATENCY_MS} ms per engine evaluation, median of ${ROUNDS} rounds`)
  for (const name of [...stageNames, "ci"])
    console.log(`  ${name.padEnd(6)} ${medians[name]!.toFixed(0).padStart(6)} ms`)
  console.log(
    `  ci / slowest stage (${slowest}) = ${ratio.toFixed(2)}   (limit ${LIMIT}; if sequential it would be ${(sum / medians[slowest]!).toFixed(2)})`,
  )
  if (ratio > LIMIT) {
    console.error(`FAIL: ci took ${ratio.toFixed(2)}× its slowest stage; the stages are not running concurrently`)
    process.exitCode = 1
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
