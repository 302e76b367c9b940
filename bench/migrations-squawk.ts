/** Runs squawk (npm squawk-cli, offline) on SQL files and reads its JSON report; shared by the two migration benchmarks. */
import { execFile, execFileSync } from "node:child_process"
import { existsSync } from "node:fs"

/** node_modules/.bin/squawk is what `npx squawk` resolves to, without npx's own lookup time. */
export const SQUAWK = "node_modules/.bin/squawk"

/**
 * The anchor's exact version. It is installed on first use rather than kept in package.json:
 * squawk-cli ships its binary in per-platform optional packages, and the registry this project
 * reaches serves only linux-x64, so a lock file that lists it cannot satisfy `npm ci`.
 */
export const SQUAWK_PACKAGE = "squawk-cli@2.66.0"

/**
 * The native squawk binary itself: node_modules/.bin/squawk is squawk-cli's node shim, which
 * starts node and then spawns this, so the shim's time includes one node start.
 */
export const SQUAWK_NATIVE = `node_modules/@squawk-cli/${process.platform}-${process.arch}/bin/squawk`

let ensured = false
export function ensureSquawk(): void {
  if (ensured || existsSync(SQUAWK)) {
    ensured = true
    return
  }
  execFileSync("npm", ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", SQUAWK_PACKAGE], {
    stdio: "inherit",
  })
  ensured = true
}

export interface SquawkFinding {
  file: string
  /** 1-based, as ours (squawk's JSON counts from 0). */
  line: number
  rule: string
}

export function runSquawk(files: readonly string[], pgVersion?: string): Promise<SquawkFinding[]> {
  ensureSquawk()
  const args = [
    "--reporter",
    "json",
    ...(pgVersion ? ["--pg-version", pgVersion.includes(".") ? pgVersion : `${pgVersion}.0`] : []),
    ...files,
  ]
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
