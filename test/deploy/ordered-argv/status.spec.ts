/**
 * The exact Docker commands status runs, and what it calls live, against a fake Docker host:
 * compose's live containers are the proxy's upstreams; swarm's are the task containers of the
 * service behind the live route. Both ask their driver, never which driver it is.
 */
import { expect } from "chai"
import { readStatus } from "../../../core/deploy/inspect.js"
import { LIVE_ROUTE, PS, addresses, web } from "./lines.js"
import { type Stage, V1, V2, colourServersState, script, stage, webRow } from "./stage.js"

const INSPECT_HEALTH =
  "docker inspect --format {{.Name}}\t{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}\t{{.State.Status}}\t{{.State.StartedAt}}\t{{.RestartCount}}"
const STATS = "docker stats --no-stream --no-trunc --format {{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}"
const proxyRow = ["id-proxy", "shop-dev-proxy", "running", "", "", "", "", "proxy"].join("\t")

describe("status: the ordered Docker commands (fake host)", function () {
  this.timeout(30_000)
  let s: Stage
  afterEach(() => s.cleanup())

  it("compose: the containers at the addresses the proxy routes to are live", async () => {
    s = await stage("argv_status")
    const rows = [webRow(V1, 1, "exited", "blue", 1), webRow(V2, 1, "running", "green", 2)]
    script(s.host, { rows, live: [web(V2)], health: {} })
    s.host.on(PS, { stdout: [proxyRow, ...rows].join("\n") })
    const status = await readStatus(s.env, await s.deps())
    expect(status.containers.map((c) => [c.name, c.role, c.live, c.state])).to.deep.equal([
      ["shop-dev-proxy", "proxy", false, "running"],
      [web(V2), "web", true, "running"],
      [web(V1), "web", false, "exited"],
    ])
    expect(s.host.lines()).to.deep.equal([
      PS,
      LIVE_ROUTE,
      addresses(web(V2)),
      `${INSPECT_HEALTH} shop-dev-proxy ${web(V1)} ${web(V2)}`,
      `${STATS} shop-dev-proxy ${web(V2)}`,
    ])
  })

  it("swarm: the task containers of the service behind the live route are live", async () => {
    s = await stage("argv_status_swarm", "swarm")
    const task = (colour: string, n: number) =>
      [
        `id-${colour}-${n}`,
        `shop-dev-${colour}_web.${n}.task${n}`,
        "running",
        V2.digest,
        "v2",
        colour,
        "2",
        "web",
      ].join("\t")
    s.host
      .on(PS, { stdout: [proxyRow, task("green", 1), task("green", 2)].join("\n") })
      .on("docker service ls", { stdout: "shop-dev-blue_web\nshop-dev-green_web\n" })
      .on("docker service inspect", {
        stdout: [
          ["shop-dev-blue_web", "0", V1.digest, "v1", "blue", "1"],
          ["shop-dev-green_web", "2", V2.digest, "v2", "green", "2"],
        ]
          .map((r) => r.join("\t"))
          .join("\n"),
      })
      .on(LIVE_ROUTE, { stdout: colourServersState("green") })
    const status = await readStatus(s.env, await s.deps())
    expect(status.containers.map((c) => [c.name, c.live])).to.deep.equal([
      ["shop-dev-proxy", false],
      ["shop-dev-green_web.1.task1", true],
      ["shop-dev-green_web.2.task2", true],
    ])
    const all = "shop-dev-proxy shop-dev-green_web.1.task1 shop-dev-green_web.2.task2"
    expect(s.host.lines()).to.deep.equal([
      PS,
      "docker service ls --filter label=deploy-pipeline.project=shop-dev --format {{.Name}}",
      'docker service inspect --format {{.Spec.Name}}\t{{.Spec.Mode.Replicated.Replicas}}\t{{index .Spec.Labels "deploy-pipeline.digest"}}\t{{index .Spec.Labels "deploy-pipeline.version"}}\t{{index .Spec.Labels "deploy-pipeline.colour"}}\t{{index .Spec.Labels "deploy-pipeline.deploy-id"}} shop-dev-blue_web shop-dev-green_web',
      LIVE_ROUTE,
      `${INSPECT_HEALTH} ${all}`,
      `${STATS} ${all}`,
    ])
  })
})
