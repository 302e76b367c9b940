/**
 * The exact Docker commands of a scale, in order, against a fake Docker host. Compose adds
 * containers, gates them and routes them in (or routes replicas out, then removes them); swarm
 * scales the live colour's service in place and gates its tasks. The same scale() asks each
 * driver how; the real-engine proof is scale.spec.ts.
 */
import { expect } from "chai"
import { scale } from "../../../core/deploy/scale.js"
import { LIVE_ROUTE, PS, SESSIONS, addresses, probe, route, runWeb, switches, web } from "./lines.js"
import { type Stage, V1, colourServersState, health, script, stage, webRow } from "./stage.js"

const SERVICE = "shop-dev-blue_web"
const SERVICE_LS = "docker service ls --filter label=deploy-pipeline.project=shop-dev --format {{.Name}}"
const inspect = (...names: string[]) =>
  `docker service inspect --format {{.Spec.Name}}\t{{.Spec.Mode.Replicated.Replicas}}\t{{index .Spec.Labels "deploy-pipeline.digest"}}\t{{index .Spec.Labels "deploy-pipeline.version"}}\t{{index .Spec.Labels "deploy-pipeline.colour"}}\t{{index .Spec.Labels "deploy-pipeline.deploy-id"}} ${names.join(" ")}`
const TASKS = `docker service ps --no-trunc --filter desired-state=running --format {{.Name}}\t{{.ID}}\t{{.CurrentState}}\t{{.Error}} ${SERVICE}`

describe("scale: the ordered Docker commands (fake host)", function () {
  this.timeout(30_000)
  let s: Stage
  afterEach(() => s.cleanup())

  describe("compose", () => {
    beforeEach(async () => {
      s = await stage("argv_scale")
    })

    it("up: starts the next replica numbers under the live release's labels (its image named by digest), gates them, then routes all of them", async () => {
      // Scale knows the live release from its labels: the digest, not the reference it was deployed from.
      const live = { ...V1, ref: V1.digest }
      script(s.host, {
        rows: [webRow(V1, 1, "running", "blue", 1)],
        live: [web(V1)],
        health: { [`${web(V1).slice(0, -2)}-\\d`]: health("healthy", "v1") },
      })
      const outcome = await scale({ env: s.env, service: "web", replicas: 3, requestedBy: "spec" }, await s.deps())
      expect(outcome).to.deep.equal({
        id: 1,
        from: 1,
        to: 3,
        summary: `web scaled from 1 to 3 healthy replicas of ${V1.short} in dev`,
      })
      expect(s.host.lines()).to.deep.equal([
        PS,
        LIVE_ROUTE,
        addresses(web(V1)),
        runWeb(live, "blue", 1, s.db.name, 2),
        runWeb(live, "blue", 1, s.db.name, 3),
        probe(`${web(V1, 2)}:8000`),
        probe(`${web(V1, 3)}:8000`),
        probe(`${web(V1, 2)}:8000`),
        probe(`${web(V1, 3)}:8000`),
        ...route(web(V1, 1), web(V1, 2), web(V1, 3)),
      ])
      expect(switches(s.host)).to.deep.equal([
        { live: [1, 2, 3].map((n) => `${web(V1, n)}:8000`), fallback: [], preview: [] },
      ])
    })

    it("down: routes the lowest replicas only, then removes the others once nothing is in flight to them", async () => {
      const replicas = [1, 2, 3].map((n) => web(V1, n))
      script(s.host, { rows: [3, 1, 2].map((n) => webRow(V1, n, "running", "blue", 1)), live: replicas, health: {} })
      const outcome = await scale({ env: s.env, service: "web", replicas: 1, requestedBy: "spec" }, await s.deps())
      expect(outcome).to.deep.equal({
        id: 1,
        from: 3,
        to: 1,
        summary: `web scaled from 3 to 1 healthy replica of ${V1.short} in dev`,
      })
      expect(s.host.lines()).to.deep.equal([
        PS,
        LIVE_ROUTE,
        addresses(replicas[2]!, replicas[0]!, replicas[1]!),
        ...route(replicas[0]!),
        addresses(replicas[1]!, replicas[2]!),
        SESSIONS,
        `docker rm --force ${replicas[1]} ${replicas[2]}`,
      ])
      expect(switches(s.host)).to.deep.equal([{ live: [`${replicas[0]}:8000`], fallback: [], preview: [] }])
    })
  })

  describe("swarm", () => {
    beforeEach(async () => {
      s = await stage("argv_scale_swarm", "swarm")
      s.host
        .on(SERVICE_LS, { stdout: `${SERVICE}\n` })
        .on("docker service inspect", { stdout: [SERVICE, "2", V1.digest, "v1", "blue", "1"].join("\t") + "\n" })
        .on(LIVE_ROUTE, { stdout: colourServersState("blue") })
    })

    it("up: scales the live service in place and gates each of its tasks; swarm's DNS routes them", async () => {
      s.host
        .on(TASKS, {
          stdout: [1, 2, 3]
            .map((n) => [`${SERVICE}.${n}`, `task${n}`, "Running 2 seconds ago", ""].join("\t"))
            .join("\n"),
        })
        .on(/ wget -q -S -O - /, health("healthy", "v1"))
      const outcome = await scale({ env: s.env, service: "web", replicas: 3, requestedBy: "spec" }, await s.deps())
      expect(outcome).to.deep.equal({
        id: 1,
        from: 2,
        to: 3,
        summary: `web scaled from 2 to 3 healthy replicas of ${V1.short} in dev`,
      })
      const tasks = [1, 2, 3].map((n) => probe(`${SERVICE}.${n}.task${n}:8000`))
      expect(s.host.lines()).to.deep.equal([
        SERVICE_LS,
        inspect(SERVICE),
        LIVE_ROUTE,
        `docker service scale --detach ${SERVICE}=3`,
        inspect(SERVICE),
        TASKS,
        ...tasks,
        ...tasks,
      ])
    })

    it("up: when the new tasks fail the gate, scales the service back to its old count", async () => {
      s.host
        .on(TASKS, {
          stdout: [1, 2, 3]
            .map((n) => [`${SERVICE}.${n}`, `task${n}`, "Running 2 seconds ago", ""].join("\t"))
            .join("\n"),
        })
        .on(/ wget -q -S -O - /, health("unhealthy", "v1"))
      const error = await scale({ env: s.env, service: "web", replicas: 3, requestedBy: "spec" }, await s.deps()).then(
        () => expect.fail("scaled"),
        (e: Error) => e,
      )
      expect(error.message.split("\n")[0]).to.equal(`the new replicas never became healthy, so ${SERVICE} is back at 2`)
      expect(s.host.lines().filter((line) => line.startsWith("docker service scale"))).to.deep.equal([
        `docker service scale --detach ${SERVICE}=3`,
        `docker service scale --detach ${SERVICE}=2`,
      ])
    })
  })
})
