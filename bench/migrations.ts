/**
 * `npm run bench:migrations`: statements per second, ours and squawk, on the same corpus files in
 * one run (test/fixtures/migrations/corpus, PostgreSQL 15 rules; ours also reads the schema file,
 * which it parses on every run).
 *  - ours, in process: analyzeFiles with the WASM parser already loaded (the Dagger module and a
 *    long-lived CLI pay the load once);
 *  - ours, as a CLI process: node + tsx loading our TypeScript, as bin/deploy-pipeline.js does,
 *    WASM load and all (bench/migrations-cli.ts until `migrations check` is wired into the CLI);
 *  - squawk, as a CLI process: its native binary through node_modules/.bin/squawk, on the same files.
 * Each process figure is the median of ROUNDS runs over all files at once, and again over the corpus
 * repeated REPEAT times: the difference gives each tool's throughput with its startup taken out,
 * the fair match for our warm in-process figure.
 */
import { readFileSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { analyzeFiles } from "../core/migrations/analyze.js"
import { loadParser, parseFile } from "../core/migrations/parse.js"
import { CORPUS_DIR, SCHEMA_FIXTURE } from "../test/migrations/corpus-cases.js"
import { corpusFile, corpusFileNames, fixtureSchema } from "../test/migrations/helpers/corpus.js"
import { SQUAWK, ensureSquawk } from "./migrations-squawk.js"
import { median, timeProcess } from "./process-time.js"

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 7)
const IN_PROCESS_MS = Number(process.env["BENCH_IN_PROCESS_MS"] ?? 2000)
const REPEAT = Number(process.env["BENCH_REPEAT"] ?? 20)

async function main(): Promise<void> {
  ensureSquawk()
  const names = corpusFileNames()
  const files = names.map(corpusFile)
  const paths = names.map((n) => join(CORPUS_DIR, n))
  await loadParser()
  let statements = 0
  for (const file of files) statements += (await parseFile(file)).statements.length

  // Ours, in process, warm: repeat over the corpus for IN_PROCESS_MS.
  const schema = await fixtureSchema()
  await analyzeFiles(files, { schema })
  let passes = 0
  const started = performance.now()
  while (performance.now() - started < IN_PROCESS_MS) {
    await analyzeFiles(files, { schema })
    passes++
  }
  const inProcessMs = (performance.now() - started) / passes

  const big = Array.from({ length: REPEAT }, () => paths).flat()
  const oursArgs = (p: string[]) => [
    "--import",
    "tsx",
    "bench/migrations-cli.ts",
    ...p,
    "--schema",
    SCHEMA_FIXTURE,
    "--format",
    "json",
  ]
  const times = { ours: [] as number[], oursBig: [] as number[], squawk: [] as number[], squawkBig: [] as number[] }
  for (let i = 0; i < ROUNDS; i++) {
    times.ours.push(await timeProcess(process.execPath, oursArgs(paths)))
    times.squawk.push(await timeProcess(SQUAWK, ["--reporter", "json", ...paths]))
    times.oursBig.push(await timeProcess(process.execPath, oursArgs(big)))
    times.squawkBig.push(await timeProcess(SQUAWK, ["--reporter", "json", ...big]))
  }
  const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000)
  const extra = statements * (REPEAT - 1)
  const oursCli = perSecond(statements, median(times.ours))
  const squawkCli = perSecond(statements, median(times.squawk))
  const oursMarginal = perSecond(extra, median(times.oursBig) - median(times.ours))
  const squawkMarginal = perSecond(extra, median(times.squawkBig) - median(times.squawk))
  const warm = perSecond(statements, inProcessMs)
  const lines = [
    `${files.length} files, ${statements} statements; ours also reads the ${readFileSync(SCHEMA_FIXTURE, "utf8").length}-byte schema file each run. Process figures: median of ${ROUNDS} runs; in process: ${passes} passes in ${IN_PROCESS_MS} ms.`,
    "",
    "One run over the corpus, as a user runs it (startup included):",
    "",
    "| Run | ms | statements/s | ours ÷ squawk |",
    "|---|---|---|---|",
    `| ours, CLI process (node + tsx + WASM parser load) | ${median(times.ours).toFixed(1)} | ${oursCli} | ${(oursCli / squawkCli).toFixed(2)} |`,
    `| squawk, CLI process (native binary) | ${median(times.squawk).toFixed(1)} | ${squawkCli} | |`,
    "",
    `Throughput with startup taken out (ours warm in process; each CLI: ${REPEAT}× the corpus minus 1×):`,
    "",
    "| Run | statements/s | ours ÷ squawk |",
    "|---|---|---|",
    `| ours, in process (warm parser) | ${warm} | ${(warm / squawkMarginal).toFixed(2)} |`,
    `| ours, CLI process, marginal | ${oursMarginal} | ${(oursMarginal / squawkMarginal).toFixed(2)} |`,
    `| squawk, CLI process, marginal | ${squawkMarginal} | |`,
  ]
  process.stdout.write(`${lines.join("\n")}\n`)
  await writeFile("bench/results/migrations-bench.md", `${lines.join("\n")}\n`)
}

await main()
