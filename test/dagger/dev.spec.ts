/**
 * `dagger call dev up` through the module entrypoint: the function returns the front Service, and
 * its recorded graph reaches the app (development target, source mounted), the three backing
 * services, Adminer and Mailhog, with port 8000 exposed.
 */
import { expect } from "chai"
import { type Chain, findCalls, isRef } from "../harness/chain.js"
import { runFunction, warmReplica } from "../harness/entrypoint.js"
import { type RecordingEngine, startRecordingEngine } from "../harness/recording-engine.js"
import { appInputs, serveTree, shippedTree } from "../helpers/dagger.js"
import { ROOT } from "../helpers/paths.js"

/** Every chain reachable from a chain through object arguments, the chain itself first. */
function reachable(chain: Chain): Chain[] {
  const out: Chain[] = [chain]
  for (const c of chain)
    for (const value of Object.values(c.args)) if (isRef(value)) out.push(...reachable(value.chain))
  return out
}

describe("dev through the module entrypoint", function () {
  this.timeout(120_000)
  let engine: RecordingEngine
  before(warmReplica(ROOT))
  before(async () => {
    engine = await startRecordingEngine()
  })
  after(() => engine.stop())

  it("returns a Service whose graph has the dev server, its services, Adminer, Mailhog and port 8000", async () => {
    engine.hook = serveTree(shippedTree())
    const result = await runFunction(engine, { moduleRoot: ROOT, fn: "dev", constructorArgs: appInputs(engine) })
    expect(result.exitCode, result.stderr).to.equal(0)
    const front = result.valueChain!
    expect(front.at(-1)!.field).to.equal("asService")
    expect(findCalls(front, "withExposedPort").map((c) => c.args.port)).to.include.members([8000, 8080, 8025])
    const all = reachable(front)
    const images = new Set(all.flatMap((chain) => findCalls(chain, "from").map((c) => String(c.args.address))))
    expect([...images].some((i) => i.startsWith("postgres:"))).to.equal(true)
    expect([...images].some((i) => i.startsWith("memcached:"))).to.equal(true)
    expect([...images].some((i) => i.startsWith("rabbitmq:"))).to.equal(true)
    expect([...images].some((i) => i.startsWith("adminer:"))).to.equal(true)
    expect([...images].some((i) => i.startsWith("mailhog/mailhog:"))).to.equal(true)
    expect(all.some((chain) => findCalls(chain, "dockerBuild").some((c) => c.args.target === "development"))).to.equal(
      true,
    )
    expect(all.some((chain) => findCalls(chain, "withMountedDirectory").some((c) => c.args.path === "/app"))).to.equal(
      true,
    )
    expect(
      all.some((chain) => findCalls(chain, "withMountedTemp").some((c) => c.args.path === "/var/lib/postgresql/data")),
    ).to.equal(true)
  })
})
