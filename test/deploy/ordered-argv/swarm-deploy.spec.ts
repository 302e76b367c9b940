/**
 * The exact Docker commands of a deploy under the swarm driver, in order, against a fake Docker
 * host: v2 as the green stack over a live blue v1, gated task by task, switched by making the green
 * server template's slots ready in HAProxy (they resolve tasks.<service>), and blue scaled to 0 (kept). The real-engine proof is swarm.spec.ts.
 */
import { expect } from "chai"
import { deploy } from "../../../core/deploy/deploy.js"
import { IMAGE_ID, LIVE_ROUTE, RUNTIME, SAVE, NETWORK, PROXY_STATE, VERSION, probe, times } from "./lines.js"
import { type Stage, V1, V2, colourServersState, health, stage } from "./stage.js"

const BLUE = "shop-dev-blue_web"
const GREEN = "shop-dev-green_web"
const SERVICES = "docker service ls --filter label=deploy-pipeline.project=shop-dev --format {{.Name}}"
const inspect = (...names: string[]) =>
  `docker service inspect --format {{.Spec.Name}}\t{{.Spec.Mode.Replicated.Replicas}}\t{{index .Spec.Labels "deploy-pipeline.digest"}}\t{{index .Spec.Labels "deploy-pipeline.version"}}\t{{index .Spec.Labels "deploy-pipeline.colour"}}\t{{index .Spec.Labels "deploy-pipeline.deploy-id"}} ${names.join(" ")}`
const serviceRow = (name: string, replicas: number, release: typeof V1, colour: string, deployId: number) =>
  [name, String(replicas), release.digest, release.version, colour, String(deployId)].join("\t")
const tasks = (service: string) =>
  `docker service ps --no-trunc --filter desired-state=running --format {{.Name}}\t{{.ID}}\t{{.CurrentState}}\t{{.Error}} ${service}`

describe("deploy under swarm: the ordered Docker commands (fake host)", function () {
  this.timeout(30_000)
  let s: Stage
  beforeEach(async () => {
    s = await stage("argv_swarm", "swarm")
  })
  afterEach(() => s.cleanup())

  it("deploys the green stack, gates its tasks, makes green's slots ready on the live port and blue's as its fallback and on the preview port through HAProxy's runtime API, then scales blue to 0", async () => {
    s.host
      .on(SERVICES, { stdout: `${BLUE}\n` })
      .on(inspect(BLUE), { stdout: `${serviceRow(BLUE, 1, V1, "blue", 1)}\n` })
      .on(inspect(GREEN), { stdout: `${serviceRow(GREEN, 1, V2, "green", 1)}\n` })
      .on(LIVE_ROUTE, { stdout: colourServersState("blue") })
      .on(VERSION, { stdout: "27.3.1\n" })
      .on("docker info", { stdout: "active true\n" })
      .on(PROXY_STATE, { stdout: "running\n" })
      .on(tasks(GREEN), { stdout: `${GREEN}.1\ttaskg1\tRunning 3 seconds ago\t\n` })
      .on(/ wget -q -S -O - /, health("healthy", "v2"))
    const outcome = await deploy({ env: s.env, image: V2.ref, version: "v2", requestedBy: "spec" }, await s.deps())
    expect([outcome.result, outcome.summary]).to.deep.equal(["succeeded", `${V2.digest} is live in dev (green)`])
    expect(s.host.lines()).to.deep.equal([
      ...[SERVICES, inspect(BLUE), LIVE_ROUTE], // what the swarm runs and serves
      ...[VERSION, IMAGE_ID(V2)], // preflight
      ...["docker info --format {{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}", NETWORK, PROXY_STATE], // boot: a manager, the network, the proxy
      `sh -c printf '%s' "$DEPLOY_PIPELINE_STACK" | docker stack deploy --resolve-image never --compose-file - "$1" sh shop-dev-green`,
      ...[inspect(GREEN), tasks(GREEN), ...times(2, probe(`${GREEN}.1.taskg1:8000`))], // the gate: swarm runs every task, then each passes
      ...[RUNTIME, SAVE], // the switch: green ready on the live port, blue on the preview port
      ...times(7, probe("127.0.0.1:80")),
      ...[RUNTIME, SAVE], // retire: blue off the preview port
      ...[SERVICES, inspect(BLUE)], // what runs besides green
      `docker service scale --detach ${BLUE}=0`, // blue kept, scaled to 0
    ])
    // Which colour's slots each switch made ready, by backend: the runtime commands it sent.
    const ready = s.host.calls
      .filter(([argv]) => argv.join(" ") === RUNTIME)
      .map(([, options]) =>
        [
          ...(options?.env?.HAPROXY_COMMANDS ?? "").matchAll(
            /set server (live|preview)\/((?:fallback-)?(?:blue|green))1 state ready/g,
          ),
        ].map((m) => `${m[1]} ${m[2]}`),
      )
    expect(ready).to.deep.equal([["live green", "live fallback-blue", "preview blue"], ["live green"]])
    const saved = s.host.calls.filter(([argv]) => argv.join(" ") === SAVE).at(-1)![1]!.env!.HAPROXY_CONFIG!
    expect(saved.split("\n").filter((line) => line.includes("server-template"))).to.deep.equal([
      "  server-template blue 1-50 tasks.shop-dev-blue_web:8000 resolvers docker resolve-prefer ipv4 init-addr none disabled",
      "  server-template green 1-50 tasks.shop-dev-green_web:8000 resolvers docker resolve-prefer ipv4 init-addr none",
      "  server-template fallback-blue 1-50 tasks.shop-dev-blue_web:8000 resolvers docker resolve-prefer ipv4 init-addr none backup observe none resolve-opts allow-dup-ip disabled",
      "  server-template fallback-green 1-50 tasks.shop-dev-green_web:8000 resolvers docker resolve-prefer ipv4 init-addr none backup observe none resolve-opts allow-dup-ip disabled",
      "  server-template blue 1-50 tasks.shop-dev-blue_web:8000 resolvers docker resolve-prefer ipv4 init-addr none disabled",
      "  server-template green 1-50 tasks.shop-dev-green_web:8000 resolvers docker resolve-prefer ipv4 init-addr none disabled",
    ])
  })
})
