/** A deployer SIGKILLed mid-deploy leaves no lock behind, and its record is aborted. */
import { expect } from "chai"
import { type ChildProcessByStdio, spawn } from "node:child_process"
import { join } from "node:path"
import type { Readable } from "node:stream"
import { Ledger } from "../../../core/ledger/ledger.js"
import { DeployLock } from "../../../core/ledger/lock/lock.js"
import { migrateLedger } from "../../../core/ledger/migrate.js"
import { ROOT } from "../../helpers/paths.js"
import { type ScratchDatabase, createScratchDatabase } from "../../helpers/postgres.js"
import { ALICE, SCHEMA } from "../records.js"

const FIXTURE = join(ROOT, "test", "ledger", "lock", "fixtures", "hold-lock.ts")

describe("ledger/lock: a deployer killed mid-deploy", () => {
  let db: ScratchDatabase
  let child: ChildProcessByStdio<null, Readable, Readable> | undefined

  before(async () => {
    db = await createScratchDatabase("kill")
    await migrateLedger(await db.connect(), SCHEMA)
  })
  after(async () => {
    child?.kill("SIGKILL")
    await db.drop()
  })

  /** The child's first stdout line, parsed; rejects with its stderr if it exits first. */
  function firstLine(proc: ChildProcessByStdio<null, Readable, Readable>): Promise<{ id: number; backendPid: number }> {
    return new Promise((resolve, reject) => {
      let out = ""
      let err = ""
      proc.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()))
      proc.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString()
        const newline = out.indexOf("\n")
        if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as { id: number; backendPid: number })
      })
      proc.on("exit", (code) => reject(new Error(`hold-lock exited with ${code} before it was ready: ${err}`)))
    })
  }

  it("loses its lock with its connection: a new acquire succeeds at once and its record is aborted", async () => {
    const proc = spawn(process.execPath, ["--import", "tsx", FIXTURE, db.name, "staging"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    })
    child = proc
    const ready = await firstLine(proc)
    const lock = new DeployLock({ connect: () => db.connect(), schema: SCHEMA })
    const held = await lock.status("staging")
    expect(held).to.deep.include({ state: "held" })
    expect(held?.state === "held" && [held.row.owner, held.row.message, held.row.session.backendPid]).to.deep.equal([
      { who: "child", host: "test", pid: proc.pid },
      "deploying from a child process",
      ready.backendPid,
    ])

    const exited = new Promise((resolve) => proc.on("exit", (_code, signal) => resolve(signal)))
    proc.kill("SIGKILL")
    expect(await exited).to.equal("SIGKILL")

    const started = Date.now()
    const handle = await lock.acquire("staging", ALICE, "deploying after the crash", { waitMs: 5000, pollMs: 10 })
    const waitedMs = Date.now() - started
    expect(waitedMs).to.be.lessThan(1000)

    const ledger = new Ledger(await db.connect(), SCHEMA)
    const aborted = await ledger.abortStale("staging")
    expect(aborted.map((r) => [r.id, r.result, r.error])).to.deep.equal([
      [
        ready.id,
        "aborted",
        `the deployer child@test (pid ${proc.pid}) lost its lock session (backend pid ${ready.backendPid}) before finishing`,
      ],
    ])
    await handle.release()
  })
})
