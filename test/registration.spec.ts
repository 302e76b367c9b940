/**
 * What `dagger functions` would show, from the SDK's own introspector, and what the real
 * entrypoint registers with the engine: names, arguments, defaults, docs and cache policy.
 */
import { expect } from "chai"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { SOURCE_IGNORE } from "../src/constants.js"
import { registerModule } from "./harness/entrypoint.js"
import { formatFunctionsMarkdown } from "./harness/functions-cli.js"
import { type ModuleDescription, introspectModule } from "./harness/introspect.js"
import { startRecordingEngine } from "./harness/recording-engine.js"
import { registeredObjects } from "./harness/registration.js"
import { ROOT } from "./helpers/paths.js"

describe("registration", function () {
  this.timeout(60_000)
  let module: ModuleDescription

  before(async () => {
    module = await introspectModule(ROOT, "deploy-pipeline")
  })

  it("exposes the class DeployPipeline with the documented functions", () => {
    expect(module.mainObject).to.equal("DeployPipeline")
    expect(module.functions.map((f) => [f.cliName, f.returnType])).to.deep.equal([
      ["config-check", "String"],
      ["plan", "String"],
    ])
  })

  it("takes the source with defaultPath / and the ignore list, and an optional environments folder", () => {
    expect(module.constructor.args).to.deep.equal([
      { name: "source", cliName: "source", type: "Directory", optional: true, description: "The Django app's repository. Defaults to the directory `dagger` is called from.", defaultPath: "/", ignore: SOURCE_IGNORE },
      { name: "environments", cliName: "environments", type: "Directory", optional: true, description: "The environments folder. Defaults to environments/ in the source." },
    ])
  })

  it("plan takes --env (required), --image and --json (default false), each described", () => {
    const plan = module.functions.find((f) => f.name === "plan")!
    expect(plan.args.map((a) => [a.cliName, a.type, a.optional, a.defaultValue])).to.deep.equal([
      ["env", "String", false, undefined],
      ["image", "String", true, undefined],
      ["json", "Boolean", true, false],
    ])
    expect(plan.args[0]!.description).to.equal("The environment to plan for: development, testing, staging or production.")
  })

  it("every function has a summary, an Example usage line with its dagger call, and every argument described", () => {
    for (const fn of module.functions) {
      const [summary] = fn.description.split("\n")
      expect(summary, fn.name).to.match(/^[A-Z].+\.$/)
      expect(fn.description, fn.name).to.match(new RegExp(`\\nExample usage: dagger call ${fn.cliName}( |$)`, "m"))
      for (const arg of fn.args) expect(arg.description, `${fn.name} --${arg.cliName}`).to.not.equal("")
    }
  })

  it("the real entrypoint registers the same functions, arguments and defaults with the engine", async () => {
    const engine = await startRecordingEngine()
    try {
      const registered = await registerModule(engine, ROOT)
      expect(registered.run.exitCode, registered.run.stderr).to.equal(0)
      const [main] = registeredObjects(registered.chain)
      expect(main!.name).to.equal("DeployPipeline")
      expect(main!.constructorArgs).to.deep.equal([
        { name: "source", optional: false, defaultPath: "/", ignore: SOURCE_IGNORE },
        { name: "environments", optional: true },
      ])
      expect(main!.functions.map((f) => [f.name, f.args.map((a) => [a.name, a.optional, a.defaultValue ?? null]), f.cachePolicy])).to.deep.equal([
        ["configCheck", [["env", true, null]], { policy: "Default" }],
        // The SDK registers a defaulted argument as not optional, with its default; the engine fills it in.
        ["plan", [["env", false, null], ["image", true, null], ["json", false, "false"]], { policy: "Default" }],
      ])
    } finally {
      await engine.stop()
    }
  })

  it("the README's function table matches `npm run functions -- --markdown`", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8")
    const block = /<!-- functions:start -->\n([\s\S]*?)\n<!-- functions:end -->/.exec(readme)?.[1]
    expect(block, "README needs the functions:start/end markers").to.be.a("string")
    expect(block).to.equal(formatFunctionsMarkdown(module))
  })
})
