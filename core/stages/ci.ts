/**
 * The ci stage: lint, test, scan and build run concurrently; it fails with a summary of every
 * stage that failed, not only the first.
 */
import { runStage } from "./failure.js"
import { type StageOutcome, renderCiSummary } from "./report.js"

export type StageRun = () => Promise<string>

export async function runConcurrently(stages: Record<string, StageRun>): Promise<{ ok: boolean; summary: string }> {
  const names = Object.keys(stages)
  const settled = await Promise.allSettled(names.map((name) => runStage(name, stages[name]!)))
  const outcomes: StageOutcome[] = settled.map((result, i) =>
    result.status === "fulfilled"
      ? { stage: names[i]!, ok: true, detail: result.value }
      : { stage: names[i]!, ok: false, detail: (result.reason as Error).message },
  )
  return { ok: outcomes.every((o) => o.ok), summary: renderCiSummary(outcomes) }
}
