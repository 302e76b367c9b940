/**
 * The load test under Dagger, driven directly against the recording engine (no engine runs
 * here): the pinned image, the install layer that depends on nothing but the image (so it stays
 * cached), the done() script, the per-run cache buster and the exact wrk argv; then the report
 * read from what the engine answers, and refusals that never reach the engine.
 */
import { connection } from "@dagger.io/dagger"
import { expect } from "chai"
import { DONE_SCRIPT } from "../../core/loadtest/done-script.js"
import { LOAD_TEST_IMAGE, loadTestContainer, loadTestReport } from "../../core/stages/load-test.js"
import { StageError } from "../../core/stages/failure.js"
import { type Chain, call } from "../harness/chain.js"
import { type RecordingEngine, startRecordingEngine } from "../harness/recording-engine.js"
import { wrkFixture } from "../loadtest/support.js"

const TARGET = "http://app.example.test:8080/"
const INSTALL = [
  "sh",
  "-c",
  "apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null && rm -rf /var/lib/apt/lists/*",
]
const SCRIPT_PATH = "/usr/local/share/deploy-pipeline/p95.lua"

describe("load test stage (Dagger) on the recording engine", () => {
  let engine: RecordingEngine
  let savedEnv: NodeJS.ProcessEnv

  before(async () => {
    savedEnv = { ...process.env }
    engine = await startRecordingEngine()
  })
  after(async () => {
    await engine.stop()
    process.env = savedEnv
  })
  beforeEach(() => {
    engine.reset() // forgets extra sessions too, so each test opens its own
    engine.hook = undefined
    Object.assign(process.env, engine.sessionEnv(engine.newSession()))
  })

  const answer = (stdout: string, exitCode = 0, stderr = "") => {
    engine.hook = ({ leaf }) => ({ stdout, exitCode, stderr })[leaf.field as "stdout" | "exitCode" | "stderr"]
  }

  it("pins the image, installs wrk in a cached layer, then the script, a run id and the exact wrk argv", async () => {
    answer(wrkFixture("ok.stdout"))
    await connection(async () => {
      await loadTestReport(TARGET, { runId: "run-1", users: 25, duration: 5 }, { json: false })
    })
    expect(engine.evaluations.map((e) => e.leaf.field).sort()).to.deep.equal(["exitCode", "stderr", "stdout"])
    const chains = new Set(engine.evaluations.map((e) => JSON.stringify(e.chain)))
    expect(chains.size).to.equal(1)
    expect(engine.evaluations[0]!.chain).to.deep.equal([
      call("container"),
      call("from", { address: "debian:12.8-slim" }),
      call("withExec", { args: INSTALL }),
      call("withNewFile", { path: SCRIPT_PATH, contents: DONE_SCRIPT }),
      call("withEnvVariable", { name: "DEPLOY_PIPELINE_RUN", value: "run-1" }),
      call("withExec", {
        args: [
          "wrk",
          "--latency",
          "--connections",
          "25",
          "--threads",
          "2",
          "--duration",
          "5s",
          "--timeout",
          "2s",
          "--script",
          SCRIPT_PATH,
          TARGET,
        ],
        expect: "ANY",
      }),
    ])
    expect(LOAD_TEST_IMAGE).to.equal("debian:12.8-slim")
  })

  it("shares the install layer between targets and runs; only what follows it differs", async () => {
    let chains: Chain[] = []
    engine.hook = ({ chain }) => {
      chains.push(chain)
      return undefined
    }
    await connection(async () => {
      await loadTestContainer(TARGET, { runId: "run-1" }).sync()
      await loadTestContainer("https://other.example.test/health", { runId: "run-2", users: 3 }).sync()
    })
    chains = chains.map((c) => c.slice(0, 3))
    expect(chains).to.have.length(2)
    expect(chains[0]).to.deep.equal([
      call("container"),
      call("from", { address: LOAD_TEST_IMAGE }),
      call("withExec", { args: INSTALL }),
    ])
    expect(engine.makeId(chains[1]!)).to.equal(engine.makeId(chains[0]!))
  })

  it("returns the report read from the engine's answer, as text or JSON", async () => {
    answer(wrkFixture("ok.stdout"))
    let text = ""
    let json = ""
    await connection(async () => {
      text = await loadTestReport(TARGET, { runId: "run-1", users: 10, duration: 2 }, { json: false })
      json = await loadTestReport(TARGET, { runId: "run-2", users: 10, duration: 2 }, { json: true })
    })
    expect(text).to.equal(
      [
        "load test of http://app.example.test:8080/: 10 connections on 2 threads for 2 s (timeout 2 s)",
        "  requests    82730 in 2.00 s",
        "  rps         41331.58",
        "  latency ms  p50 0.223  p75 0.257  p90 0.366  p95 1.095  p99 3.549  max 10.148  mean 0.351",
        "  errors      0",
      ].join("\n"),
    )
    expect(JSON.parse(json)).to.deep.include({ target: TARGET, requests: 82730, rps: 41331.58 })
  })

  it("fails the call with wrk's words when wrk fails, and with the figures when requests errored", async () => {
    const failures: string[] = []
    await connection(async () => {
      answer("", 1, "unable to connect to app.example.test:8080 Connection refused\n")
      await loadTestReport(TARGET, { runId: "run-1", duration: 2 }, { json: false }).catch((e: Error) =>
        failures.push(`${e.name}: ${e.message}`),
      )
      answer(wrkFixture("non-2xx.stdout"))
      await loadTestReport(TARGET, { runId: "run-2", users: 4, duration: 2 }, { json: false }).catch((e: Error) =>
        failures.push(`${e.name}: ${e.message.split("\n").at(-1)}`),
      )
    })
    expect(failures).to.deep.equal([
      "StageError: wrk exited 1 against http://app.example.test:8080/: unable to connect to app.example.test:8080 Connection refused",
      "StageError: load test failed: 94571 errors",
    ])
  })

  it("refuses loopback targets and bad options before anything reaches the engine", async () => {
    const refused: unknown[] = []
    await connection(async () => {
      for (const [url, users] of [
        ["http://127.0.0.1:8080/", 10],
        ["http://localhost:3000/", 10],
        [TARGET, 5000],
      ] as const) {
        await loadTestReport(url, { runId: "run-1", users }, { json: false }).catch((e: unknown) => refused.push(e))
      }
    })
    expect(refused.every((e) => e instanceof StageError)).to.equal(true)
    expect(refused.map((e) => (e as Error).message)).to.deep.equal([
      "--url http://127.0.0.1:8080/ is this machine's loopback, which a Dagger container cannot reach (there it is the container itself); run deploy-pipeline load-test from the CLI, or give an address the engine can reach",
      "--url http://localhost:3000/ is this machine's loopback, which a Dagger container cannot reach (there it is the container itself); run deploy-pipeline load-test from the CLI, or give an address the engine can reach",
      "--users 5000 is over the limit of 1000 connections; load tests stay bounded",
    ])
    expect(engine.evaluations).to.deep.equal([])
  })
})
