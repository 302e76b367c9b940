/**
 * `npm run bench:cli`: how fast the installed CLI starts, whole process, as a user runs it.
 * Builds dist/ first (what bin/deploy-pipeline.js runs), then times `--help`, `config check` on
 * ./environments and `migrations check` on one corpus file, against squawk on the same file
 * (the anchor: its native binary; also through npm's node shim, what `npx squawk` runs) and
 * `node -e 0` (the floor: node starting and doing nothing). Each figure is the median of ROUNDS
 * runs, the commands taking turns so load on the machine falls on all of them alike.
 * This machine is shared, and wall time grows with other people's load, so each run also goes
 * through /usr/bin/time for its CPU time (user + sys, 10 ms steps), which load changes far less.
 * NODE_EXTRA_CA_CERTS, when set, makes every node start read that CA bundle (the floor too);
 * the header says whether it was.
 * Goals (wall time): --help ≤ 100 ms, config check ≤ 300 ms; exits 1 when one is missed.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { CORPUS_DIR } from "../test/migrations/corpus-cases.js"
import { SQUAWK, SQUAWK_NATIVE, ensureSquawk } from "./migrations-squawk.js"
import { median, timeProcess } from "./process-time.js"

const ROUNDS = Math.max(10, Number(process.env.BENCH_ROUNDS ?? 15))
const SQL = join(CORPUS_DIR, "07_django_add_foreign_key.sql")
const BIN = "bin/deploy-pipeline.js"
const TIME = "/usr/bin/time"

interface Run {
  name: string
  command: string
  args: string[]
  /** The exit code a correct run ends with (the linters exit 1: this file has findings). */
  code: number
  goalMs?: number
}

const ANCHOR: Run = { name: "squawk FILE (native binary: the anchor)", command: SQUAWK_NATIVE, args: [SQL], code: 1 }
const FLOOR: Run = { name: "node -e 0 (the floor)", command: process.execPath, args: ["-e", "0"], code: 0 }
const RUNS: Run[] = [
  { name: "deploy-pipeline --help", command: process.execPath, args: [BIN, "--help"], code: 0, goalMs: 100 },
  {
    name: "deploy-pipeline config check",
    command: process.execPath,
    args: [BIN, "config", "check"],
    code: 0,
    goalMs: 300,
  },
  {
    name: "deploy-pipeline migrations check FILE",
    command: process.execPath,
    args: [BIN, "migrations", "check", SQL],
    code: 1,
  },
  ANCHOR,
  { name: "squawk FILE (npm's node shim, as npx squawk runs it)", command: SQUAWK, args: [SQL], code: 1 },
  FLOOR,
]

interface Sample {
  wallMs: number
  cpuMs: number
}

/** One run through /usr/bin/time: wall time from here, CPU time (user + sys) from time's report. */
async function sample(run: Run, report: string): Promise<Sample> {
  const wallMs = await timeProcess(TIME, ["-f", "%U %S", "-o", report, run.command, ...run.args], [run.code])
  const [user, sys] = readFileSync(report, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number)
  return { wallMs, cpuMs: (user! + sys!) * 1000 }
}

async function main(): Promise<void> {
  ensureSquawk()
  execFileSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "inherit"] })
  const report = join(mkdtempSync(join(tmpdir(), "bench-cli-")), "time.txt")
  const samples = new Map<Run, Sample[]>(RUNS.map((run) => [run, []]))
  for (let round = -1; round < ROUNDS; round++) {
    for (const run of RUNS) {
      const measured = await sample(run, report)
      if (round >= 0) samples.get(run)!.push(measured) // round -1 warms the file cache and is not counted
    }
  }
  const wall = (run: Run) => median(samples.get(run)!.map((s) => s.wallMs))
  const cpu = (run: Run) => median(samples.get(run)!.map((s) => s.cpuMs))
  const missed = RUNS.filter((run) => run.goalMs !== undefined && wall(run) > run.goalMs)
  const lines = [
    `CLI start-up, whole process, median of ${ROUNDS} runs each: node ${process.version}, compiled dist/, FILE = ${SQL}, load average ${loadavg()[0]!.toFixed(1)} at the end, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? "set (every node start reads that bundle)" : "unset"}.`,
    "",
    "| Run | wall ms | ÷ squawk | CPU ms | goal (wall) |",
    "|---|---|---|---|---|",
    ...RUNS.map((run) => {
      const goal = run.goalMs === undefined ? "" : `≤ ${run.goalMs} ms: ${wall(run) <= run.goalMs ? "met" : "MISSED"}`
      return `| ${run.name} | ${wall(run).toFixed(1)} | ${(wall(run) / wall(ANCHOR)).toFixed(2)} | ${cpu(run).toFixed(0)} | ${goal} |`
    }),
  ]
  process.stdout.write(`${lines.join("\n")}\n`)
  await writeFile("bench/results/cli-bench.md", `${lines.join("\n")}\n`)
  if (missed.length > 0) {
    console.error(
      `FAIL: ${missed.map((run) => run.name).join(", ")} slower than the goal (node -e 0 alone took ${wall(FLOOR).toFixed(0)} ms)`,
    )
    process.exitCode = 1
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
