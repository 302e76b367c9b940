/**
 * What each CLI command loads, read from the sources: `--help` no library at all, each command
 * only its own (the dispatch table in core/cli/main.ts imports a command's module when it runs),
 * never @dagger.io/dagger, and every library the CLI can load is a runtime dependency.
 */
import { expect } from "chai"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { importGraph } from "../helpers/import-graph.js"
import { ROOT } from "../helpers/paths.js"

const cli = (file: string) => join(ROOT, "core", "cli", file)

describe("cli import graph", () => {
  it("the entry loads no library before a command runs (--help, usage errors)", () => {
    expect(importGraph(cli("bin.ts"), { dynamic: false })).to.deep.equal({
      files: [
        cli("bin.ts"),
        ...["describe.ts", "pipeline-error.ts"].map((file) => join(ROOT, "core", "errors", file)),
        cli("main.ts"),
        ...["error-outcome.ts", "outcome.ts"].map((file) => join(ROOT, "core", "commands", file)),
        ...["command.ts", "options.ts", "output.ts", "usage.ts"].map(cli),
      ],
      packages: [],
    })
  })

  const COMMAND_MODULES: [file: string, packages: string[]][] = [
    ["run/environments.ts", ["yaml", "zod"]],
    ["run/load-test.ts", []],
    ["run/migrations.ts", ["libpg-query", "pg"]],
    ["run/rehearse.ts", ["amqplib", "libpg-query", "memjs", "pg", "yaml", "zod"]],
    ["run/deploy.ts", ["amqplib", "libpg-query", "memjs", "pg", "yaml", "zod"]],
  ]
  for (const [file, packages] of COMMAND_MODULES) {
    it(`${file} loads exactly ${packages.join(", ") || "no library"}`, () => {
      expect(importGraph(cli(file), { dynamic: true }).packages).to.deep.equal(packages)
    })
  }

  it("everything the CLI can load is a runtime dependency, and @dagger.io/dagger is not among it", () => {
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>
    }
    const { packages } = importGraph(cli("bin.ts"), { dynamic: true })
    expect(packages).to.deep.equal(["amqplib", "libpg-query", "memjs", "pg", "yaml", "zod"])
    expect(packages.filter((name) => !(name in dependencies))).to.deep.equal([])
  })

  it("the dispatch table's modules are the ones checked above", () => {
    const { files } = importGraph(cli("main.ts"), { dynamic: true })
    expect(files.filter((f) => f.startsWith(cli("run/"))).sort()).to.deep.equal(
      COMMAND_MODULES.map(([file]) => cli(file)).sort(),
    )
  })
})
