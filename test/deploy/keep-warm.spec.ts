/**
 * deploy.keep_warm on the real Docker engine (issue #15, item 3): after a deploy the release it
 * replaced stays running, out of the route, and stops itself when its window ends; a rollback to
 * it inside the window cancels that timer, probes it once and switches, under a load that never
 * retries; the release it rolled back from is kept warm in turn, and stops itself (exit 0, not
 * restarted) when its own window ends, while the release that was warm keeps serving.
 */
import { execFileSync } from "node:child_process"
import { expect } from "chai"
import { deploy } from "../../core/deploy/deploy.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { LABEL } from "../../core/deploy/names.js"
import { rollback } from "../../core/deploy/rollback.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { NO_RETRY, failures, underLoad } from "../helpers/load.js"

const WINDOW_MS = 8_000

/** State, exit code and restart count of the release's containers. */
function containers(f: DeployFixture, version: "v1" | "v2"): string[] {
  const ids = execFileSync("docker", ["ps", "-aq", "--filter", `label=${LABEL.digest}=${f.images.app[version]}`], {
    encoding: "utf8",
  }).trim()
  if (!ids) return []
  return execFileSync(
    "docker",
    ["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}", ...ids.split("\n")],
    { encoding: "utf8" },
  )
    .trim()
    .split("\n")
}

describe("deploy.keep_warm on the real Docker engine", function () {
  this.timeout(180_000)
  let f: DeployFixture

  before(async () => {
    f = await deployFixture("warm", { overrides: { deploy: { keep_warm: `${WINDOW_MS / 1000}s` } } })
  })
  after(() => f?.cleanup())

  it("keeps the replaced release running out of the route; a rollback to it inside the window is one probe and a switch, with no failed request", async () => {
    for (const version of ["v1", "v2"] as const) {
      const outcome = await deploy(
        { env: f.env, image: f.images.app[version]!, version, requestedBy: "spec" },
        await f.engine(),
      )
      expect(outcome.result).to.equal("succeeded")
    }
    const deployed = Date.now()
    expect(containers(f, "v1")).to.deep.equal(["running 0 0"])
    expect(await f.serving()).to.equal("v2")

    const url = `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}/`
    const engine = await f.engine()
    const {
      value: back,
      load: { records },
    } = await underLoad({ url, ...NO_RETRY, requests: 500 }, () =>
      rollback({ env: f.env, requestedBy: "spec" }, engine),
    )
    console.log(`      ${back.summary}; ${records.length} requests, ${failures(records).length} failed`)
    expect([back.release.digest, back.fast, back.warm]).to.deep.equal([f.images.app.v1, true, true])
    expect(failures(records).map((r) => `#${r.index} ${r.method}: ${r.error ?? r.status}`)).to.deep.equal([])
    const [row] = await readHistory(f.env, await f.engine(), 1)
    expect(row!.phases.map((p) => p.step)).to.deep.equal(["warm", "health-gate", "switch", "watch", "retire"])
    expect(row!.phases.find((p) => p.step === "health-gate")!.detail).to.match(
      /^1 replica\(s\) passed 1 check in a row/,
    )

    // Past v1's first window (its timer was cancelled) and v2's own: v1 serves, v2 stopped itself.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, deployed + 2 * WINDOW_MS + 3_000 - Date.now())))
    expect(await f.serving()).to.equal("v1")
    expect(containers(f, "v1")).to.deep.equal(["running 0 0"])
    expect(containers(f, "v2")).to.deep.equal(["exited 0 0"])
  })
})
