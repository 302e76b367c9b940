/**
 * What `dagger functions` would show, from the SDK's own introspector, and what the real
 * entrypoint registers with the engine: names, arguments, defaults, docs and cache policy.
 */
import { expect } from "chai"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { DEFAULT_PLATFORMS, REPRODUCIBLE_CREATED, SOURCE_IGNORE } from "../core/constants.js"
import { registerModule, warmReplica } from "./harness/entrypoint.js"
import { formatFunctionsMarkdown } from "./harness/functions-cli.js"
import { type ModuleDescription, introspectModule } from "./harness/introspect.js"
import { startRecordingEngine } from "./harness/recording-engine.js"
import { registeredObjects } from "./harness/registration.js"
import { ROOT } from "./helpers/paths.js"

describe("registration", function () {
  this.timeout(120_000)
  let module: ModuleDescription

  before(warmReplica(ROOT))
  before(async () => {
    module = await introspectModule(ROOT, "deploy-pipeline")
  })

  it("exposes the class DeployPipeline with the documented functions", () => {
    expect(module.mainObject).to.equal("DeployPipeline")
    expect(module.functions.map((f) => [f.cliName, f.returnType, f.cache?.policy])).to.deep.equal([
      ["config-check", "String", "Default"],
      ["plan", "String", "Default"],
      ["lint", "String", "Default"],
      ["test", "Directory", "Default"],
      ["build", "Container", "Default"],
      ["build-multi-arch", "[Container]", "Default"],
      ["publish", "String", "Never"],
      ["scan", "ScanReport", "Default"],
      ["ci", "String", "Default"],
      ["dev", "Service", "Default"],
      ["load-test", "String", "Never"],
      ["alerts", "File", "Default"],
      ["check-migrations", "String", "Never"],
      ["rehearse-migrations", "String", "Never"],
      ["deploy", "String", "Never"],
      ["rollback", "String", "Never"],
      ["restore-backup", "String", "Never"],
      ["scale", "String", "Never"],
      ["status", "String", "Never"],
      ["history", "String", "Never"],
      ["lock-status", "String", "Never"],
      ["lock-release", "String", "Never"],
    ])
    expect(module.objects.map((o) => [o.name, o.functions.map((f) => [f.cliName, f.returnType])])).to.deep.equal([
      [
        "ScanReport",
        [
          ["reports", "Directory"],
          ["sarif", "File"],
          ["json", "File"],
          ["check", "String"],
        ],
      ],
    ])
  })

  it("keeps literal defaults (the introspector needs literals) equal to the constants", () => {
    const defaults = (fn: string, arg: string) =>
      module.functions.find((f) => f.cliName === fn)!.args.find((a) => a.cliName === arg)!.defaultValue
    for (const fn of ["build-multi-arch", "publish", "scan", "ci"])
      expect(defaults(fn, "platforms"), fn).to.deep.equal([...DEFAULT_PLATFORMS])
    for (const fn of ["build", "build-multi-arch", "publish"])
      expect(defaults(fn, "created"), fn).to.equal(REPRODUCIBLE_CREATED)
  })

  it("takes secrets only as Secret", () => {
    const secretLike = module.functions.flatMap((f) =>
      f.args.filter((a) => /password|token|key|secret/i.test(a.name)).map((a) => [f.cliName, a.cliName, a.type]),
    )
    expect(secretLike).to.deep.equal([
      ["publish", "password", "Secret"],
      ["rehearse-migrations", "ssh-key", "Secret"],
      ["deploy", "ssh-key", "Secret"],
      ["rollback", "ssh-key", "Secret"],
      ["restore-backup", "ssh-key", "Secret"],
      ["scale", "ssh-key", "Secret"],
      ["status", "ssh-key", "Secret"],
    ])
  })

  it("takes the source with defaultPath / and the ignore list, and an optional environments folder", () => {
    expect(module.constructor.args).to.deep.equal([
      {
        name: "source",
        cliName: "source",
        type: "Directory",
        optional: true,
        description: "The Django app's repository. Defaults to the directory `dagger` is called from.",
        defaultPath: "/",
        ignore: SOURCE_IGNORE,
      },
      {
        name: "environments",
        cliName: "environments",
        type: "Directory",
        optional: true,
        description: "The environments folder. Defaults to environments/ in the source.",
      },
    ])
  })

  it("plan takes --env (required), --image and --json (default false), each described", () => {
    const plan = module.functions.find((f) => f.name === "plan")!
    expect(plan.args.map((a) => [a.cliName, a.type, a.optional, a.defaultValue])).to.deep.equal([
      ["env", "String", false, undefined],
      ["image", "String", true, undefined],
      ["json", "Boolean", true, false],
    ])
    expect(plan.args[0]!.description).to.equal(
      "The environment to plan for: development, testing, staging or production.",
    )
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
      const registeredFns = main!.functions.map((f) => [
        f.name,
        f.args.map((a) => [a.name, a.optional, a.defaultValue ?? null]),
        f.cachePolicy,
      ])
      expect(registeredFns.slice(0, 2)).to.deep.equal([
        ["configCheck", [["env", true, null]], { policy: "Default" }],
        // The SDK registers a defaulted argument as not optional, with its default; the engine fills it in.
        [
          "plan",
          [
            ["env", false, null],
            ["image", true, null],
            ["json", false, "false"],
          ],
          { policy: "Default" },
        ],
      ])
      expect(registeredFns.map((f) => [f[0], f[2]])).to.deep.equal(
        module.functions.map((f) => [f.name, { policy: f.cache!.policy }]),
      )
      expect(registeredFns.find((f) => f[0] === "publish")![2]).to.deep.equal({ policy: "Never" })
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
