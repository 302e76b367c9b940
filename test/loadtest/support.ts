/**
 * Shared by the load-test specs: the captured wrk output fixtures (test/fixtures/loadtest, made
 * by capture.ts there) and a way to assert a LoadTestError's code and whole message.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { LoadTestError } from "../../core/loadtest/errors.js"
import { FIXTURES } from "../helpers/paths.js"

export const wrkFixture = (name: string): string => readFileSync(join(FIXTURES, "loadtest", name), "utf8")

export interface Refusal {
  code: string
  message: string
  limit: number | undefined
}

/** Runs `fn` and returns the LoadTestError it threw; fails when it threw nothing or something else. */
export async function refusal(fn: () => unknown): Promise<Refusal> {
  try {
    await fn()
  } catch (error) {
    if (!(error instanceof LoadTestError)) throw error
    return { code: error.code, message: error.message, limit: error.limit }
  }
  throw new Error("expected a LoadTestError, nothing was thrown")
}
