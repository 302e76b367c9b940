/**
 * Self-tests of the recording engine, driven by the real SDK client in this process.
 *
 * Why: every module test builds on these guarantees: chains are recorded in call order,
 * object arguments resolve to their chains, hooks can fail a leaf as an ExecError, and the
 * runtime protocol is answered, so they are pinned here with exact values.
 */
import { expect } from "chai"
import {
  type ContainerID,
  type DirectoryID,
  ExecError,
  GraphQLRequestError,
  type JSON as DaggerJSON,
  type Platform,
  type SecretID,
  connect,
  connection,
  dag,
} from "@dagger.io/dagger-npm"

import { type Call, call, describeChain, fieldsOf, findCalls, isRef } from "./chain.js"
import { EngineError, execError } from "./engine-errors.js"
import { type RecordingEngine, startRecordingEngine } from "./recording-engine.js"

const hostDir: Call[] = [call("host"), call("directory", { path: "." })]

describe("recording engine", () => {
  let engine: RecordingEngine
  let savedEnv: NodeJS.ProcessEnv

  before(async () => {
    savedEnv = { ...process.env }
    engine = await startRecordingEngine()
    Object.assign(process.env, engine.env())
  })

  after(async () => {
    await engine.stop()
    process.env = savedEnv
  })

  beforeEach(() => {
    engine.reset()
    engine.hook = undefined
    engine.latencyMs = undefined
    engine.invocation = undefined
  })

  it("records a leaf's chain, arguments and synthetic result", async () => {
    let out = ""
    await connection(async () => {
      out = await dag.container().from("python:3.12").withExec(["pytest", "-q"]).stdout()
    })
    const expected = 'fake stdout of container.from(address: "python:3.12").withExec(args: ["pytest", "-q"])'
    expect(out).to.equal(expected)
    expect(engine.evaluations).to.have.length(1)
    const [evaluation] = engine.evaluations
    expect(evaluation?.chain).to.deep.equal([
      call("container"),
      call("from", { address: "python:3.12" }),
      call("withExec", { args: ["pytest", "-q"] }),
    ])
    expect(evaluation?.leaf).to.deep.equal(call("stdout"))
    expect(evaluation?.result).to.equal(expected)
    expect(engine.queries.map((q) => q.query.replace(/\s+/g, " ").trim())).to.deep.equal([
      '{ container { from (address: "python:3.12") { withExec (args: ["pytest","-q"]) { stdout } } } }',
    ])
  })

  it("resolves object arguments to {$ref, chain}, searchable with findCalls", async () => {
    const dirId = engine.makeId(hostDir)
    await connection(async () => {
      const src = dag.loadDirectoryFromID(dirId as DirectoryID)
      const db = dag.container().from("postgres:16").asService()
      await dag
        .container()
        .from("python:3.12")
        .withDirectory("/app", src)
        .withServiceBinding("db", db)
        .withExec(["pytest"])
        .stdout()
    })
    const run = engine.evaluationsOf("stdout")[0]
    expect(run).to.not.equal(undefined)
    const chain = run?.chain ?? []
    expect(fieldsOf(chain)).to.deep.equal(["container", "from", "withDirectory", "withServiceBinding", "withExec"])
    expect(findCalls(chain, "withDirectory")[0]?.args.source).to.deep.equal({ $ref: dirId, chain: hostDir })
    const binding = findCalls(chain, "withServiceBinding")[0]
    expect(binding?.args.alias).to.equal("db")
    expect(findCalls(chain, "from").map((c) => c.args.address)).to.deep.equal(["python:3.12", "postgres:16"])
    expect(findCalls(chain, "asService")).to.have.length(1)
    // Each object argument costs one `{ … { id } }` query before the leaf.
    expect(engine.evaluationsOf("id").map((e) => describeChain(e.chain))).to.deep.equal([
      'host.directory(path: ".")',
      'container.from(address: "postgres:16").asService',
    ])
  })

  it("records one publish with its platform variants, with a deterministic digest", async () => {
    let ref = ""
    await connection(async () => {
      const variants = ["linux/amd64", "linux/arm64"].map((p) =>
        dag.container({ platform: p as Platform }).from("python:3.12"),
      )
      ref = await dag.container().publish("registry.example.com/app:1.0", { platformVariants: variants })
    })
    const publishes = engine.evaluationsOf("publish")
    expect(publishes).to.have.length(1)
    const variants = publishes[0]?.leaf.args.platformVariants
    expect(Array.isArray(variants) ? variants.map((v) => (isRef(v) ? describeChain(v.chain) : "")) : []).to.deep.equal([
      'container(platform: "linux/amd64").from(address: "python:3.12")',
      'container(platform: "linux/arm64").from(address: "python:3.12")',
    ])
    expect(engine.evaluationsOf("id")).to.have.length(2)
    expect(ref).to.match(/^registry\.example\.com\/app:1\.0@sha256:[0-9a-f]{64}$/)
    const again = await startRecordingEngine()
    try {
      expect(again.makeId(publishes[0]?.chain ?? [])).to.equal(engine.makeId(publishes[0]?.chain ?? []))
    } finally {
      await again.stop()
    }
  })

  it("returns an ID for sync and resolves it through node(id:)", async () => {
    let stdout = ""
    await connection(async () => {
      const synced = await dag.container().from("alpine").withExec(["true"]).sync()
      stdout = await synced.stdout()
    })
    const [sync, out] = engine.evaluations
    expect(sync?.leaf.field).to.equal("sync")
    expect(engine.resolve(sync?.result as string)).to.deep.equal(sync?.chain)
    expect(out?.chain).to.deep.equal(sync?.chain)
    expect(stdout).to.equal('fake stdout of container.from(address: "alpine").withExec(args: ["true"])')
    expect(engine.queries[1]?.query).to.contain("node (id:")
  })

  it("raises ExecError when a hook throws execError", async () => {
    engine.hook = ({ chain, leaf }) => {
      if (leaf.field === "stdout" && findCalls(chain, "withExec")[0]?.args.args?.toString() === "ruff,check,.") {
        throw execError({ cmd: ["ruff", "check", "."], exitCode: 1, stdout: "app.py:1:1: F401", stderr: "1 error" })
      }
      return undefined
    }
    let caught: unknown
    await connection(async () => {
      try {
        await dag.container().from("python:3.12").withExec(["ruff", "check", "."]).stdout()
      } catch (e) {
        caught = e
      }
    })
    expect(caught).to.be.instanceOf(ExecError)
    const err = caught as ExecError
    expect(err.message).to.equal('process "ruff check ." did not complete successfully: exit code: 1')
    expect(err.cmd).to.deep.equal(["ruff", "check", "."])
    expect(err.exitCode).to.equal(1)
    expect(err.stdout).to.equal("app.py:1:1: F401")
    expect(err.stderr).to.equal("1 error")
    expect(engine.evaluations[0]?.error?.extensions?._type).to.equal("EXEC_ERROR")
  })

  it("lets a hook override a value or raise a plain GraphQL error", async () => {
    engine.hook = ({ leaf }) => {
      if (leaf.field === "entries") return ["base.yaml", "staging.yaml"]
      if (leaf.field === "contents") throw new EngineError("no such file")
      return undefined
    }
    let entries: string[] = []
    let caught: unknown
    await connection(async () => {
      entries = await dag.directory().entries()
      try {
        await dag.directory().file("missing").contents()
      } catch (e) {
        caught = e
      }
    })
    expect(entries).to.deep.equal(["base.yaml", "staging.yaml"])
    expect(caught).to.be.instanceOf(GraphQLRequestError)
    expect((caught as Error).message).to.equal("no such file")
  })

  it("answers lists of objects with one element per hooked entry", async () => {
    engine.hook = ({ leaf, list, chain }) => {
      if (list && leaf.field === "envVariables") return ["A", "B"]
      const index = chain.at(-1)?.index
      if (chain.at(-1)?.field === "envVariables" && leaf.field === "name") return ["A", "B"][index ?? 0]
      return undefined
    }
    let names: string[] = []
    await connection(async () => {
      const vars = await dag.container().envVariables()
      names = await Promise.all(vars.map((v) => v.name()))
    })
    expect(names).to.deep.equal(["A", "B"])
  })

  it("keeps a secret loaded by ID out of every query, unlike setSecret", async () => {
    const secretId = engine.makeId([call("secret", { uri: "env://REGISTRY_TOKEN" })])
    await connection(async () => {
      const token = dag.loadSecretFromID(secretId as SecretID)
      await dag.container().from("alpine").withSecretVariable("TOKEN", token).withExec(["login"]).sync()
    })
    expect(engine.rawQueries.some((q) => q.includes("env://REGISTRY_TOKEN"))).to.equal(false)
    expect(engine.rawQueries.some((q) => q.includes(secretId))).to.equal(true)
    await connection(async () => {
      await dag.container().withSecretVariable("TOKEN", dag.setSecret("t", "hunter2")).sync()
    })
    expect(engine.rawQueries.filter((q) => q.includes("hunter2"))).to.have.length(1)
  })

  it("answers the runtime protocol from the configured invocation and captures returns", async () => {
    engine.invocation = {
      moduleName: "demo",
      parentName: "Demo",
      name: "plan",
      parent: { env: "x" },
      inputArgs: { env: "staging", n: 3 },
    }
    const seen: unknown[] = []
    await connection(async () => {
      const fnCall = dag.currentFunctionCall()
      seen.push(await dag.currentModule().name(), await fnCall.parentName(), await fnCall.name(), await fnCall.parent())
      for (const arg of await fnCall.inputArgs()) seen.push([await arg.name(), await arg.value()])
      await fnCall.returnValue(JSON.stringify("done") as DaggerJSON)
      await fnCall.returnError(dag.error("it broke").withValue("exitCode", JSON.stringify(3) as DaggerJSON))
    })
    expect(seen).to.deep.equal(["demo", "Demo", "plan", '{"env":"x"}', ["env", '"staging"'], ["n", "3"]])
    expect(engine.returnValue).to.deep.equal({ json: '"done"', value: "done" })
    expect(engine.returnError?.message).to.equal("it broke")
    expect(engine.returnError?.values).to.deep.equal({ exitCode: 3 })
    expect(fieldsOf(engine.returnError?.chain ?? [])).to.deep.equal(["error", "withValue"])
  })

  it("answers connect()'s version query and handles GraphQL variables", async () => {
    let out = ""
    await connect(async (client) => {
      out = await client.container().from("alpine").stdout()
    })
    expect(engine.evaluations[0]?.leaf.field).to.equal("version")
    expect(engine.evaluations[0]?.result).to.equal("v0.21.9")
    expect(out).to.equal('fake stdout of container.from(address: "alpine")')

    const res = await fetch(`http://127.0.0.1:${engine.port}/query`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${engine.token}:`).toString("base64")}`,
      },
      body: JSON.stringify({
        query: "query Q($a: String!) { c: container { from(address: $a) { stdout } } }",
        variables: { a: "debian" },
      }),
    })
    expect(await res.json()).to.deep.equal({
      data: { c: { from: { stdout: 'fake stdout of container.from(address: "debian")' } } },
    })
  })

  it("rejects requests without the session token", async () => {
    const res = await fetch(`http://127.0.0.1:${engine.port}/query`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from("wrong:").toString("base64")}` },
      body: JSON.stringify({ query: "{ version }" }),
    })
    expect(res.status).to.equal(401)
    expect(engine.queries).to.have.length(0)
  })

  it("applies per-evaluation latency so concurrent leaves overlap", async () => {
    engine.latencyMs = 150
    const started = performance.now()
    await connection(async () => {
      await Promise.all([
        dag.container().from("a").stdout(),
        dag.container().from("b").stdout(),
        dag.container().from("c").stdout(),
      ])
    })
    const elapsed = performance.now() - started
    const runs = engine.evaluationsOf("stdout")
    expect(runs).to.have.length(3)
    for (const r of runs) expect(r.endedAt - r.startedAt).to.be.at.least(145)
    expect(Math.max(...runs.map((r) => r.startedAt))).to.be.below(Math.min(...runs.map((r) => r.endedAt)))
    expect(elapsed).to.be.below(400)
  })

  it("builds Container objects whose IDs load back to the same chain", async () => {
    const id = engine.makeId([call("container"), call("from", { address: "alpine" })])
    let out = ""
    await connection(async () => {
      out = await dag
        .loadContainerFromID(id as ContainerID)
        .withExec(["ls"])
        .stdout()
    })
    expect(out).to.equal('fake stdout of container.from(address: "alpine").withExec(args: ["ls"])')
  })
})
