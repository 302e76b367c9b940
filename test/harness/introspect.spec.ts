/**
 * Self-tests of the engine-free introspection, the functions table and the SDK-types copy.
 *
 * Why: `introspectModule` is the golden view of a module's CLI surface; these tests pin its
 * output for the fixture module (defaultPath, defaults, descriptions, kebab-case names, cache
 * policy) and the preconditions it relies on.
 */
import * as fs from "node:fs"
import * as path from "node:path"

import { expect } from "chai"

import { formatFunctions } from "./functions-cli.js"
import { type ModuleDescription, introspectModule } from "./introspect.js"
import { toKebab, toPascal } from "./naming.js"
import { REPO_ROOT, sdkFile } from "./paths.js"

const moduleRoot = path.join(REPO_ROOT, "test", "fixtures", "harness-module")

const expected: ModuleDescription = {
  name: "harness-module",
  description:
    "harness-module: a tiny Dagger module the test harness runs in its self-tests.\n\n" +
    "It has one constructor argument with a contextual default path, one function that builds a\n" +
    "container pipeline and one that always throws.",
  mainObject: "HarnessModule",
  mainObjectDescription: "",
  constructor: {
    args: [
      {
        name: "source",
        cliName: "source",
        type: "Directory",
        optional: true,
        description: "The files to test. Defaults to the repository the module lives in.",
        defaultPath: "/",
        ignore: [".git", "**/node_modules"],
      },
      {
        name: "greeting",
        cliName: "greeting",
        type: "String",
        optional: true,
        description: "The word printed before the name.",
        defaultValue: "hello",
      },
    ],
  },
  functions: [
    {
      name: "test",
      cliName: "test",
      description: "Run the test suite in a Python container and return its output.",
      returnType: "String",
      cache: { policy: "Default" },
      args: [
        {
          name: "pythonVersion",
          cliName: "python-version",
          type: "String",
          optional: true,
          description: "The python image tag to run on.",
          defaultValue: "3.12",
        },
        {
          name: "extraArgs",
          cliName: "extra-args",
          type: "[String]",
          optional: true,
          description: "Extra arguments for pytest.",
          defaultValue: [],
        },
      ],
    },
    {
      name: "build",
      cliName: "build",
      description: "Build the container that would run the tests, without running them.",
      returnType: "Container",
      cache: { policy: "Default" },
      args: [{ name: "name", cliName: "name", type: "String", optional: false, description: "" }],
    },
    {
      name: "explode",
      cliName: "explode",
      description: "Always fail, to exercise error reporting.",
      returnType: "String",
      cache: { policy: "Never" },
      args: [{ name: "reason", cliName: "reason", type: "String", optional: false, description: "Why it fails." }],
    },
  ],
  objects: [],
}

describe("harness: introspection without an engine", () => {
  it("describes the fixture module exactly as dagger functions would", async () => {
    const description = await introspectModule(moduleRoot, "harness-module")
    expect(JSON.parse(JSON.stringify(description))).to.deep.equal(expected)
  })

  it("prints the functions table with kebab-case flags and first description lines", () => {
    expect(formatFunctions(expected).split("\n")).to.deep.equal([
      "Module harness-module (HarnessModule)",
      "harness-module: a tiny Dagger module the test harness runs in its self-tests.",
      "",
      'Constructor: [--source Directory = path /] [--greeting String = "hello"]',
      "",
      "FUNCTION  ARGUMENTS                                                        DESCRIPTION",
      'test      [--python-version String = "3.12"] [--extra-args [String] = []]  Run the test suite in a Python container and return its output.',
      "build     --name String                                                    Build the container that would run the tests, without running them.",
      "explode   --reason String                                                  Always fail, to exercise error reporting.",
    ])
  })

  it("fails clearly when the main object is missing", async () => {
    let caught: unknown
    try {
      await introspectModule(moduleRoot, "other-name")
    } catch (e) {
      caught = e
    }
    expect((caught as Error).message).to.equal(
      `no @object() class named OtherName in ${moduleRoot}/src (found: HarnessModule)`,
    )
  })

  it("names things like the CLI and the runtime", () => {
    expect(["buildMultiArch", "registryPassword", "HTTPServer", "env", "pythonVersion3"].map(toKebab)).to.deep.equal([
      "build-multi-arch",
      "registry-password",
      "http-server",
      "env",
      "python-version-3",
    ])
    expect(["deploy-pipeline", "harness-module", "my_mod"].map(toPascal)).to.deep.equal([
      "DeployPipeline",
      "HarnessModule",
      "MyMod",
    ])
  })
})
