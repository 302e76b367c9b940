/**
 * Scaling and status on the real Docker engine: web goes from 1 to 3 healthy replicas behind the
 * proxy; replicas that never get healthy are removed and the count stays; the ledger records both;
 * status --json shows health, CPU and memory for every container.
 */
import { expect } from "chai"
import { deploy } from "../../core/deploy/deploy.js"
import { DeployError } from "../../core/deploy/errors.js"
import { readHistory, readStatus } from "../../core/deploy/inspect.js"
import { scale } from "../../core/deploy/scale.js"
import { cliProcess } from "../helpers/cli.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"

describe("scale and status on the real Docker engine", function () {
  this.timeout(180_000)
  let f: DeployFixture

  before(async () => {
    f = await deployFixture("scale")
    await deploy({ env: f.env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" }, await f.engine())
  })
  after(() => f?.cleanup())

  it("scales web to 3: three healthy replicas, all live behind the proxy, recorded", async () => {
    const outcome = await scale({ env: f.env, service: "web", replicas: 3, requestedBy: "spec" }, await f.engine())
    expect(outcome).to.deep.include({ from: 1, to: 3 })
    const status = await readStatus(f.env, await f.engine())
    const web = status.containers.filter((c) => c.role === "web")
    expect(web.map((c) => [c.live, c.state, c.version])).to.deep.equal([
      [true, "running", "v1"],
      [true, "running", "v1"],
      [true, "running", "v1"],
    ])
    const served = new Set<string>()
    for (let i = 0; i < 30; i++) served.add(await f.serving())
    expect([...served]).to.deep.equal(["v1"])
    const [record] = await readHistory(f.env, await f.engine(), 1)
    expect(record).to.deep.include({ action: "scale", result: "succeeded" })
  })

  it("a scale whose new replicas fail their health restores the count and names the instances", async () => {
    const failing = {
      ...f.env,
      config: {
        ...f.env.config,
        app: { ...f.env.config.app, env: { APP_FAIL_HEALTH: "1" } },
        health: { ...f.env.config.health, start_deadline: 4_000 },
      },
    }
    const error = await scale(
      { env: failing, service: "web", replicas: 5, requestedBy: "spec" },
      await f.engine(failing),
    ).catch((e: Error) => e)
    expect(error).to.be.instanceOf(DeployError)
    const project = `${f.env.config.app.name}-dev`
    const short = f.images.app.v1!.slice(7, 19)
    expect((error as Error).message.split("\n")[0]).to.equal(
      `the new replicas never became healthy, so web stays at 3: ${project}-web-${short}-4, ${project}-web-${short}-5 failed`,
    )
    const status = await readStatus(f.env, await f.engine())
    expect(status.containers.filter((c) => c.role === "web" && c.live)).to.have.length(3)
    expect(status.containers.filter((c) => c.role === "web")).to.have.length(3)
    const [record] = await readHistory(f.env, await f.engine(), 1)
    expect(record).to.deep.include({ action: "scale", result: "failed" })
    expect(record!.error).to.match(/^the new replicas never became healthy/)
  })

  it("status --json shows health and CPU/memory for every container of the environment", async () => {
    const dir = f.writeEnvironments()
    const deadline = Date.now() + 30_000
    let status: {
      containers: {
        name: string
        role: string
        health: string
        cpuPercent: number | null
        memoryBytes: number | null
        live: boolean
      }[]
    }
    for (;;) {
      const result = cliProcess(["status", "--env", "dev", "--dir", dir, "--json"])
      expect(result.code, result.stderr).to.equal(0)
      status = JSON.parse(result.stdout)
      if (
        status.containers.filter((c) => c.role === "web").every((c) => c.health === "healthy") ||
        Date.now() > deadline
      )
        break
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    expect(status.containers.map((c) => [c.role, c.live])).to.deep.equal([
      ["proxy", false],
      ["web", true],
      ["web", true],
      ["web", true],
    ])
    for (const c of status.containers) {
      expect(c.cpuPercent, c.name).to.be.a("number")
      expect(c.memoryBytes, c.name).to.be.greaterThan(0)
    }
    expect(status.containers.filter((c) => c.role === "web").map((c) => c.health)).to.deep.equal([
      "healthy",
      "healthy",
      "healthy",
    ])
    expect(status.containers.find((c) => c.role === "proxy")!.health).to.equal("none")
  })
})
