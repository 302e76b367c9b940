/**
 * The runtime's rules, as exact outputs: each from the file of dagger/dagger (backport-0.21,
 * sdk/typescript/runtime/) that runtime-rules.ts names.
 */
import { expect } from "chai"
import * as fs from "node:fs"
import * as path from "node:path"

import { REPO_ROOT } from "../paths.js"
import {
  BUNDLE_CORE_EXPORTS,
  bundleIndexSource,
  entrypointArgv,
  installPlan,
  rewritePackageJson,
  rewriteTsconfig,
} from "./runtime-rules.js"

const ownPackageJson = () =>
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Record<string, unknown>

describe("harness/replica: the runtime's rules", () => {
  it("rewrites package.json: type module, typescript added when absent, @dagger.io/dagger dropped from both dependency lists", () => {
    expect(
      rewritePackageJson({
        name: "m",
        dependencies: { "@dagger.io/dagger": "0.21.9", pg: "8" },
        devDependencies: { "@dagger.io/dagger": "0.21.9", mocha: "12" },
      }),
    ).to.deep.equal({
      name: "m",
      type: "module",
      dependencies: { pg: "8", typescript: "5.9.3" },
      devDependencies: { mocha: "12" },
    })
    expect(rewritePackageJson({ type: "commonjs", dependencies: { typescript: "~5.9.3" } })).to.deep.equal({
      type: "module",
      dependencies: { typescript: "~5.9.3" },
    })
  })

  it("mounts its own TypeScript only for exactly its version, and skips the install when nothing else is needed", () => {
    expect(installPlan({ dependencies: { typescript: "5.9.3" } })).to.deep.equal({
      mountRuntimeTypescript: true,
      npmInstall: false,
    })
    expect(installPlan({ dependencies: { typescript: "5.9.3", pg: "8" } })).to.deep.equal({
      mountRuntimeTypescript: true,
      npmInstall: true,
    })
    expect(installPlan({ dependencies: { typescript: "~5.9.3", pg: "8" } })).to.deep.equal({
      mountRuntimeTypescript: false,
      npmInstall: true,
    })
  })

  it("this module's package.json never gets the TypeScript mount (npm cannot replace a mount point: EBUSY)", () => {
    expect(installPlan(rewritePackageJson(ownPackageJson()))).to.deep.equal({
      mountRuntimeTypescript: false,
      npmInstall: true,
    })
  })

  it("this module's package.json does not depend on the npm SDK at run time (the engine deletes it anyway)", () => {
    const pkg = ownPackageJson() as { dependencies: Record<string, string> }
    expect(pkg.dependencies).to.not.have.property("@dagger.io/dagger")
  })

  it("points @dagger.io/dagger at ./sdk and turns experimentalDecorators on, keeping the rest", () => {
    expect(
      rewriteTsconfig({
        compilerOptions: {
          strict: true,
          paths: { "@dagger.io/dagger": ["./sdk/index.ts", "./elsewhere.ts"], "#x": ["./x.ts"] },
        },
        include: ["src"],
      }),
    ).to.deep.equal({
      compilerOptions: {
        strict: true,
        paths: {
          "@dagger.io/dagger": ["./sdk/index.ts"],
          "#x": ["./x.ts"],
          "@dagger.io/dagger/telemetry": ["./sdk/telemetry.ts"],
        },
        experimentalDecorators: true,
      },
      include: ["src"],
    })
  })

  it("writes the bundle's index with exactly the eleven core names, two types and the generated client", () => {
    expect(bundleIndexSource()).to.equal(
      [
        'export {\n  connection,\n  connect,\n  Context,\n  func,\n  check,\n  generate,\n  argument,\n  object,\n  field,\n  enumType,\n  entrypoint,\n} from "./core.js"',
        'export type { ConnectOpts, CallbackFct } from "./core.js"',
        'export * from "./client.gen.js"',
        "",
      ].join("\n\n"),
    )
  })

  it("the typecheck's stand-in for the bundle exports the same core names", () => {
    const surface = fs.readFileSync(path.join(REPO_ROOT, "test", "harness", "replica", "bundle-surface.ts"), "utf8")
    const block = /export \{([^}]*)\} from "@dagger.io\/dagger-npm"/.exec(surface)?.[1] ?? ""
    expect(
      block
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    ).to.deep.equal([...BUNDLE_CORE_EXPORTS])
  })

  it("starts the module as the runtime does: tsx --no-deprecation --tsconfig <mod>/tsconfig.json <mod>/src/__dagger.entrypoint.ts", () => {
    expect(entrypointArgv("/tsx/cli.mjs", "/src")).to.deep.equal([
      "/tsx/cli.mjs",
      "--no-deprecation",
      "--tsconfig",
      "/src/tsconfig.json",
      "/src/src/__dagger.entrypoint.ts",
    ])
  })
})
