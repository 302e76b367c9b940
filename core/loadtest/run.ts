/**
 * The local edge: writes the done() script to a temporary file, runs wrk through an Executor
 * (a child process for the CLI) and reads its output. wrk itself stops after --duration, so the
 * run is bounded by the settings; only settings.url is contacted.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Executor } from "../exec/types.js"
import { wrkArgv } from "./argv.js"
import { DONE_SCRIPT } from "./done-script.js"
import { type LoadTestReport, type WrkRun, readWrkRun } from "./report.js"
import { type LoadTestRequest, type WrkSettings, planLoadTest } from "./settings.js"

/** Runs wrk once with `settings` and returns its exit code and output, unread. */
export async function runWrk(executor: Executor, settings: WrkSettings): Promise<WrkRun> {
  const dir = await mkdtemp(join(tmpdir(), "deploy-pipeline-wrk-"))
  try {
    const script = join(dir, "p95.lua")
    await writeFile(script, DONE_SCRIPT)
    return await executor.run(wrkArgv(settings, script))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Plans (defaults, bounds, target), runs wrk and returns the figures; throws LoadTestError. */
export async function runLoadTest(executor: Executor, request: LoadTestRequest): Promise<LoadTestReport> {
  const settings = planLoadTest(request)
  return readWrkRun(settings, await runWrk(executor, settings))
}
