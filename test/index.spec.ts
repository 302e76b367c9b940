/**
 * The Dagger surface, driven exactly as `dagger call` drives it: the SDK's real entrypoint in a
 * child process, the constructor first, then the function with its parent state, against the
 * recording engine. The engine serves the repository's environments/ as the host directory.
 */
import { expect } from "chai"
import { readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { configCheck } from "../core/commands/config-check.js"
import { planCommand } from "../core/commands/plan.js"
import { SOURCE_IGNORE } from "../core/constants.js"
import { call, findCalls } from "./harness/chain.js"
import { runFunction, warmReplica } from "./harness/entrypoint.js"
import { type RecordingEngine, startRecordingEngine } from "./harness/recording-engine.js"
import { serveTree, shippedTree } from "./helpers/dagger.js"
import { IMAGE, shippedFiles } from "./helpers/environments.js"
import { ENVIRONMENTS, ROOT } from "./helpers/paths.js"

describe("Dagger functions through the module entrypoint", function () {
  this.timeout(120_000)
  let engine: RecordingEngine

  before(warmReplica(ROOT))
  before(async () => {
    engine = await startRecordingEngine()
  })
  after(() => engine.stop())
  beforeEach(() => engine.reset())

  it("config-check: the constructor's source defaults to the context directory with the ignore list", async () => {
    engine.hook = serveTree(shippedTree())
    const result = await runFunction(engine, { moduleRoot: ROOT, fn: "configCheck" })
    expect(result.exitCode, result.stderr).to.equal(0)
    expect(result.value).to.equal(configCheck(shippedFiles(), "environments").text)
    const entries = engine.evaluationsOf("entries")[0]!
    expect(entries.chain).to.deep.equal([
      call("host"),
      call("directory", { path: ROOT, exclude: SOURCE_IGNORE }),
      call("directory", { path: "environments" }),
    ])
  })

  it("config-check fails the call with every located problem and no stack trace", async () => {
    const tree = shippedTree()
    tree[`${ROOT}/environments/production.yaml`] = tree[`${ROOT}/environments/production.yaml`]!.replace(
      "replicas: 3",
      "replicass: 3",
    )
    tree[`${ROOT}/environments/staging.yaml`] = tree[`${ROOT}/environments/staging.yaml`]!.replace(
      "lock_wait: 5m",
      "lock_wait: soon",
    )
    engine.hook = serveTree(tree)
    const result = await runFunction(engine, { moduleRoot: ROOT, fn: "configCheck" })
    expect(result.exitCode).to.equal(1)
    expect(result.value).to.equal(undefined)
    expect(result.error?.message).to.equal(
      [
        'environments/production.yaml:23:3 runtime.replicass: unknown key "replicass"; did you mean "replicas"?',
        'environments/staging.yaml:11:14 deploy.lock_wait: "soon" is not a duration; write a number with a unit, such as "500ms", "30s", "2m" or "1h"',
        "2 problems in environments; nothing was changed",
      ].join("\n"),
    )
    expect(result.error?.message).to.not.match(/^\s+at /m)
  })

  it("config-check --environments reads another folder, and never reads an oversized file", async () => {
    const other = engine.makeId([call("host"), call("directory", { path: "/elsewhere/envs" })])
    engine.hook = serveTree({
      ...Object.fromEntries(
        Object.entries(shippedTree()).map(([p, t]) => [p.replace(`${ROOT}/environments`, "/elsewhere/envs"), t]),
      ),
      "/elsewhere/envs/huge.yaml": "x".repeat(300 * 1024),
    })
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "configCheck",
      constructorArgs: { environments: other },
    })
    expect(result.exitCode).to.equal(1)
    expect(result.error?.message).to.equal(
      "environments/huge.yaml:1:1 (file): the file is 300 KiB; environment files are at most 256 KiB. Is this the right file?\n1 problem in environments; nothing was changed",
    )
    const read = engine
      .evaluationsOf("contents")
      .map((e) => findCalls(e.chain, "file")[0]!.args.path)
      .sort()
    expect(read).to.deep.equal(["base.yaml", "development.yaml", "production.yaml", "staging.yaml", "testing.yaml"])
  })

  it("plan --env staging --image: the same plan the CLI prints", async () => {
    engine.hook = serveTree(shippedTree())
    const result = await runFunction(engine, { moduleRoot: ROOT, fn: "plan", args: { env: "staging", image: IMAGE } })
    expect(result.exitCode, result.stderr).to.equal(0)
    expect(result.inputs).to.deep.equal({ env: "staging", image: IMAGE, json: false })
    expect(result.value).to.equal(planCommand(shippedFiles(), "environments", { env: "staging", image: IMAGE }).text)
    expect(String(result.value).split("\n")[8]).to.equal(
      "   1. approve        require --approve staging@0123456789ab, refused before anything changes",
    )
  })

  it("plan --json and an unknown environment", async () => {
    engine.hook = serveTree(shippedTree())
    const json = await runFunction(engine, { moduleRoot: ROOT, fn: "plan", args: { env: "production", json: true } })
    expect(JSON.parse(String(json.value)).config.runtime.replicas).to.equal(3)
    const unknown = await runFunction(engine, { moduleRoot: ROOT, fn: "plan", args: { env: "prod" } })
    expect(unknown.exitCode).to.equal(1)
    expect(unknown.error?.message).to.equal(
      'unknown environment "prod" (did you mean "production"?); environments in environments: development, production, staging, testing',
    )
  })
})
