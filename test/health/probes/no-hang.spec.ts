/**
 * Against a server that accepts connections and never answers (nor closes), every probe must
 * not only fail within its timeout but also let the process exit: memjs, for one, only
 * half-closes such a socket and would keep a deploy process alive forever. Each probe runs in
 * a child process, which must exit soon after printing its result.
 */
import { expect } from "chai"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { silentServer, type SilentServer } from "../support/net.js"

const SCRIPT = fileURLToPath(new URL("../support/probe-once.ts", import.meta.url))
const EXIT_GRACE_MS = 1500

interface Run {
  result: { ok: boolean; failure?: string; error?: string }
  /** From the result being printed to the process exiting. */
  exitAfterMs: number
}

function runOnce(kind: string, port: number, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, kind, String(port), String(timeoutMs)], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    let out = ""
    let err = ""
    let printedAt: number | undefined
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes("\n")) printedAt ??= Date.now()
    })
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()))
    const kill = setTimeout(() => {
      child.kill("SIGKILL")
      reject(
        new Error(
          `the ${kind} probe's process was still running 15s after it started; it printed ${JSON.stringify(out.trim())}: a socket or timer outlived the attempt`,
        ),
      )
    }, 15_000)
    child.on("exit", (code) => {
      clearTimeout(kill)
      if (code !== 0 || printedAt === undefined)
        return reject(new Error(`the ${kind} probe's process exited with ${code}: ${err}`))
      resolve({ result: JSON.parse(out) as Run["result"], exitAfterMs: Date.now() - printedAt })
    })
  })
}

describe("health/probes: no probe keeps the process alive", () => {
  let silent: SilentServer
  before(async () => (silent = await silentServer()))
  after(() => silent.close())

  for (const kind of ["http", "postgres", "memcached", "rabbitmq"]) {
    it(`${kind}: fails in time and the process exits`, async () => {
      const run = await runOnce(kind, silent.port, 300)
      expect([run.result.ok, run.result.failure, run.result.error]).to.deep.equal([
        false,
        "timeout",
        "no answer within 300ms",
      ])
      expect(run.exitAfterMs, "ms from result to exit").to.be.below(EXIT_GRACE_MS)
    })
  }
})
