/** Runs squawk (npm squawk-cli, offline) on SQL files and reads its JSON report; shared by the two migration benchmarks. */
import { execFile } from "node:child_process"

/** node_modules/.bin/squawk is what `npx squawk` resolves to, without npx's own lookup time. */
export const SQUAWK = "node_modules/.bin/squawk"

export interface SquawkFinding {
  file: string
  /** 1-based, as ours (squawk's JSON counts from 0). */
  line: number
  rule: string
}

export function runSquawk(files: readonly string[], pgVersion?: string): Promise<SquawkFinding[]> {
  const args = ["--reporter", "json", ...(pgVersion ? ["--pg-version", pgVersion.includes(".") ? pgVersion : `${pgVersion}.0`] : []), ...files]
  return new Promise((resolve, reject) => {
    execFile(SQUAWK, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      // squawk exits 1 when it reports anything; only unreadable output is a failure here.
      try {
        const rows = JSON.parse(stdout || "[]") as { file: string; line: number; rule_name: string }[]
        resolve(rows.map((r) => ({ file: r.file, line: r.line + 1, rule: r.rule_name })))
      } catch {
        reject(error ?? new Error(`squawk printed no JSON: ${stdout.slice(0, 200)}`))
      }
    })
  })
}
