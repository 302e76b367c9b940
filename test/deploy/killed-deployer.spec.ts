/**
 * The deployer killed (SIGKILL: a crash, a closed laptop, a cancelled CI job) in a phase, then the
 * next command (issue #15, item 4). The proxy's route is the truth: afterwards ledger, status and
 * proxy agree, and nothing runs beside the live release, with no manual step. Real engine: the
 * killed deploy is the CLI as a process over the sources, killed when it logs the phase; what
 * follows runs in-process. One story, in order:
 *   1. killed in the watch window, then the same deploy again: it finishes the deploy;
 *   2. killed in the watch window, then a rollback: back to the release that served before;
 *   3. killed in the health gate, then a rollback: the half-booted release is stopped too;
 *   4. killed in the health gate, then the same deploy again: it boots and deploys.
 */
import { spawn } from "node:child_process"
import { expect } from "chai"
import type { Environment } from "../../core/config/load.js"
import { deploy } from "../../core/deploy/deploy.js"
import { readHistory, readStatus } from "../../core/deploy/inspect.js"
import { rollback } from "../../core/deploy/rollback.js"
import { CLI_ARGV } from "../helpers/cli.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"

describe("a deployer killed in a phase, then the next command (real engine)", function () {
  this.timeout(240_000)
  let f: DeployFixture
  let dir: string
  /** The in-process follow-ups watch for 3 s; the killed CLI process for 30 s (its file, below). */
  let quick: Environment

  before(async () => {
    f = await deployFixture("killed", { overrides: { health: { watch: "30s" } } })
    dir = f.writeEnvironments()
    quick = { ...f.env, config: { ...f.env.config, health: { ...f.env.config.health, watch: 3_000 } } }
    const first = await deploy(
      { env: quick, image: f.images.app.v1!, version: "v1", requestedBy: "spec" },
      await f.engine(quick),
    )
    expect(first.result).to.equal("succeeded")
  })
  after(() => f?.cleanup())

  /** Runs `deploy` as a CLI process and kills it (SIGKILL) when it logs the start of `phase`; resolves once it is gone. */
  function killedIn(phase: "health-gate" | "watch", version: "v1" | "v2" | "v3"): Promise<string> {
    const image = f.images.app[version]!
    const child = spawn(
      process.execPath,
      [...CLI_ARGV, "deploy", "--dir", dir, "--env", f.env.name, "--image", image, "--version", version],
      { stdio: ["ignore", "ignore", "pipe"] },
    )
    let stderr = ""
    return new Promise((resolve, reject) => {
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk
        if (stderr.includes(`  ${phase}…`)) child.kill("SIGKILL")
      })
      child.once("error", reject)
      child.once("exit", (code, signal) =>
        signal === "SIGKILL"
          ? resolve(stderr)
          : reject(new Error(`the deploy was not killed in ${phase} (exit ${String(code)}):\n${stderr}`)),
      )
    })
  }

  /** The running web containers' versions, and what status says serves. */
  async function agreement(): Promise<{ running: string[]; serving: unknown; proxy: string; ledger: string[] }> {
    const status = await readStatus(f.env, await f.engine())
    const running = status.containers.filter((c) => c.role === "web" && c.state === "running").map((c) => c.version!)
    const history = await readHistory(f.env, await f.engine(), 2)
    return {
      running: running.sort(),
      serving: status.serving,
      proxy: await f.serving(),
      ledger: history.map((r) => `${r.action} ${r.result}`),
    }
  }

  const up = (version: "v1" | "v2") => ({ state: "up", digest: f.images.app[version], version, note: null })

  it("1. killed in the watch window, then the same deploy again: it finishes that deploy instead of refusing", async () => {
    await killedIn("watch", "v2")
    const status = await readStatus(f.env, await f.engine())
    const short = (v: "v1" | "v2") => f.images.app[v]!.replace("sha256:", "").slice(0, 12)
    expect(status.serving).to.deep.equal({
      state: "up",
      digest: f.images.app.v2,
      version: "v2",
      note: `the ledger's last release is ${short("v1")}, but the proxy serves ${short("v2")}: an interrupted deploy or rollback; the proxy is what answers`,
    })
    const again = await deploy(
      { env: quick, image: f.images.app.v2!, version: "v2", requestedBy: "spec" },
      await f.engine(quick),
    )
    expect([again.result, again.summary]).to.deep.equal([
      "succeeded",
      `${f.images.app.v2} is live in dev (green); finished the deploy an interrupted deployer left after its switch`,
    ])
    expect(await agreement()).to.deep.equal({
      running: ["v2"],
      serving: up("v2"),
      proxy: "v2",
      ledger: ["deploy succeeded", "deploy aborted"],
    })
  })

  it("2. killed in the watch window, then a rollback: back to the release that served before the killed deploy", async () => {
    await killedIn("watch", "v1")
    expect(await f.serving()).to.equal("v1")
    const back = await rollback({ env: quick, requestedBy: "spec" }, await f.engine(quick))
    expect([back.release.digest, back.from, back.fast]).to.deep.equal([f.images.app.v2, f.images.app.v1, true])
    expect(await agreement()).to.deep.equal({
      running: ["v2"],
      serving: up("v2"),
      proxy: "v2",
      ledger: ["rollback succeeded", "deploy aborted"],
    })
  })

  it("3. killed in the health gate, then a rollback: the release it was booting is stopped with the one rolled back from", async () => {
    await killedIn("health-gate", "v3")
    expect(await f.serving()).to.equal("v2")
    const back = await rollback({ env: quick, requestedBy: "spec" }, await f.engine(quick))
    expect(back.release.digest).to.equal(f.images.app.v1)
    expect(await agreement()).to.deep.equal({
      running: ["v1"],
      serving: up("v1"),
      proxy: "v1",
      ledger: ["rollback succeeded", "deploy aborted"],
    })
  })

  it("4. killed in the health gate, then the same deploy again: it boots the release anew and deploys it", async () => {
    await killedIn("health-gate", "v2")
    expect(await f.serving()).to.equal("v1")
    const again = await deploy(
      { env: quick, image: f.images.app.v2!, version: "v2", requestedBy: "spec" },
      await f.engine(quick),
    )
    expect(again.result).to.equal("succeeded")
    expect(await agreement()).to.deep.equal({
      running: ["v2"],
      serving: up("v2"),
      proxy: "v2",
      ledger: ["deploy succeeded", "deploy aborted"],
    })
  })
})
