/**
 * Self-tests of runFunction / registerModule / invokeInProcess on the harness fixture module.
 *
 * Why: these prove the harness drives the real SDK entrypoint the way `dagger call` does
 * (constructor, then function with the constructor's state; engine-added defaults; object
 * arguments as IDs; `returnError` and exit code 1 on a throw), so module specs can trust it.
 */
import * as path from "node:path"

import { expect } from "chai"

import { call, describeChain, fieldsOf, findCalls } from "./chain.js"
import { registerModule, runFunction, warmReplica } from "./entrypoint.js"
import { REPO_ROOT } from "./paths.js"
import { type RecordingEngine, startRecordingEngine } from "./recording-engine.js"
import { registeredObjects } from "./registration.js"

const moduleRoot = path.join(REPO_ROOT, "test", "fixtures", "harness-module")
const contextSource = [call("host"), call("directory", { path: REPO_ROOT, exclude: [".git", "**/node_modules"] })]
const contextSourceText = `host.directory(path: "${REPO_ROOT}", exclude: [".git", "**/node_modules"])`
const testChain = (python: string, source: string, exec: string): string =>
  `container.from(address: "python:${python}-slim").withDirectory(path: "/src", source: <${source}>).withWorkdir(path: "/src")` +
  `.withExec(args: ${exec})`

describe("harness: runFunction on test/fixtures/harness-module", () => {
  let engine: RecordingEngine

  before(warmReplica(moduleRoot))
  before(async () => {
    engine = await startRecordingEngine()
  })

  after(async () => {
    await engine.stop()
  })

  beforeEach(() => {
    engine.reset()
    engine.hook = undefined
  })

  it("runs the constructor with engine defaults, then the function with its state", async () => {
    const result = await runFunction(engine, { moduleRoot, fn: "test", args: { extraArgs: ["-x"] } })
    const sourceId = engine.makeId(contextSource)
    expect(result.constructorInputs).to.deep.equal({ greeting: "hello", source: sourceId })
    expect(result.constructorState).to.deep.equal({ source: sourceId, greeting: "hello" })
    expect(result.inputs).to.deep.equal({ extraArgs: ["-x"], pythonVersion: "3.12" })
    expect(result.value).to.equal(`fake stdout of ${testChain("3.12", contextSourceText, '["pytest", "-q", "-x"]')}`)
    expect(result.error).to.equal(undefined)
    expect(result.exitCode).to.equal(0)
    expect(result.constructorRun.exitCode).to.equal(0)
    // One invocation per process, each in its own session, as the engine would do.
    const sessions = new Set(engine.evaluations.map((e) => e.session))
    expect(sessions.size).to.equal(2)
    const run = engine.evaluationsOf("stdout")
    expect(run).to.have.length(1)
    expect(findCalls(run[0]?.chain ?? [], "withDirectory")[0]?.args.source).to.deep.equal({
      $ref: sourceId,
      chain: contextSource,
    })
  })

  it("passes object arguments as IDs and returns objects as IDs", async () => {
    const source = engine.makeId([call("git", { url: "https://example.com/app.git" }), call("head"), call("tree")])
    const result = await runFunction(engine, {
      moduleRoot,
      fn: "build",
      constructorArgs: { source, greeting: "hi" },
      args: { name: "bob" },
    })
    expect(result.constructorState).to.deep.equal({ source, greeting: "hi" })
    expect(result.exitCode).to.equal(0)
    expect(typeof result.value).to.equal("string")
    expect(fieldsOf(result.valueChain ?? [])).to.deep.equal([
      "container",
      "from",
      "withDirectory",
      "withWorkdir",
      "withEnvVariable",
    ])
    expect(findCalls(result.valueChain ?? [], "withEnvVariable")[0]?.args).to.deep.equal({
      name: "GREETING",
      value: "hi bob",
    })
    expect(findCalls(result.valueChain ?? [], "withDirectory")[0]?.args.source).to.deep.equal({
      $ref: source,
      chain: [call("git", { url: "https://example.com/app.git" }), call("head"), call("tree")],
    })
    expect(describeChain(result.valueChain ?? [])).to.equal(
      'container.from(address: "python:3.12-slim").withDirectory(path: "/src", source: <git(url: "https://example.com/app.git").head.tree>)' +
        '.withWorkdir(path: "/src").withEnvVariable(name: "GREETING", value: "hi bob")',
    )
  })

  it("reports a throw as returnError with exit code 1", async () => {
    const result = await runFunction(engine, { moduleRoot, fn: "explode", args: { reason: "boom" } })
    expect(result.exitCode).to.equal(1)
    expect(result.value).to.equal(undefined)
    expect(result.error?.message).to.equal("explode: boom")
    expect(fieldsOf(result.error?.chain ?? [])).to.deep.equal(["error"])
    expect(result.constructorState).to.deep.equal({ source: engine.makeId(contextSource), greeting: "hello" })
    expect(result.functionRun?.returned).to.equal(false)
  })

  it("registers functions, arguments, defaults and cache policies", async () => {
    const registration = await registerModule(engine, moduleRoot)
    expect(registration.run.exitCode).to.equal(0)
    const [main, ...others] = registeredObjects(registration.chain)
    expect(others).to.have.length(0)
    expect(main?.name).to.equal("HarnessModule")
    expect(main?.functions.map((f) => [f.name, f.cachePolicy])).to.deep.equal([
      ["test", { policy: "Default" }],
      ["build", { policy: "Default" }],
      ["explode", { policy: "Never" }],
    ])
    expect(main?.functions[0]?.args).to.deep.equal([
      { name: "pythonVersion", optional: false, defaultValue: '"3.12"' },
      { name: "extraArgs", optional: true },
    ])
    expect(main?.constructorArgs).to.deep.equal([
      { name: "source", optional: false, defaultPath: "/", ignore: [".git", "**/node_modules"] },
      { name: "greeting", optional: false, defaultValue: '"hello"' },
    ])
    expect(findCalls(registration.chain, "withCachePolicy").some((c) => c.args.policy === "Never")).to.equal(true)
  })
})
