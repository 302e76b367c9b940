/**
 * "Calls that exist": every `dagger call` in the wrappers, the vendor configs and the proposed
 * README section names a function, flags and chained calls the module registers (as
 * `npm run functions` shows them). The checker itself is tested on synthetic lines, so a renamed
 * function or flag is proven to break the suite.
 */
import { expect } from "chai"

import { type ModuleDescription, introspectModule } from "../harness/introspect.js"
import { readModuleName } from "../harness/module-files.js"
import { ROOT } from "../helpers/paths.js"
import { type CoreApi, readCoreApi } from "./support/core-api.js"
import {
  type FoundCall,
  type Word,
  chainOf,
  checkCall,
  checkCalls,
  findCalls,
  findCallsInFile,
  shellWords,
} from "./support/dagger-calls.js"
import { readRepoFile, shellScripts, vendorFiles } from "./support/repo-files.js"

const words = (...texts: string[]): Word[] => texts.map((text) => ({ text, dynamic: false }))

/** The docs pages with `dagger call` examples (the README links them). */
const DOCS = ["docs/architecture.md", "docs/ci.md", "docs/environments.md", "docs/testing.md"]

/** Every `dagger call` in the files this issue owns. */
function repoCalls(): FoundCall[] {
  return [...shellScripts(), ...vendorFiles(), "README.md", ...DOCS].flatMap((file) =>
    findCallsInFile(file, readRepoFile(file)),
  )
}

describe("dagger calls in ci/, ci/vendors/, the README and docs/", () => {
  let mod: ModuleDescription
  let core: CoreApi
  const check = (line: string): string[] => {
    const [call] = findCalls(line, "synthetic")
    if (!call) throw new Error(`no dagger call in: ${line}`)
    return checkCall(call.words, mod, core)
  }

  before(async () => {
    mod = await introspectModule(ROOT, readModuleName(ROOT))
    core = readCoreApi()
  })

  describe("finding calls in text", () => {
    const cases: Array<[string, string, Array<{ where: string; words: string[] }>]> = [
      ["a plain line", "dagger call lint", [{ where: "f:1", words: ["lint"] }]],
      [
        "line continuations",
        'x\ndagger call deploy \\\n  --env staging \\\n  --image "$IMAGE"',
        [{ where: "f:2", words: ["deploy", "--env", "staging", "--image", "$IMAGE*"] }],
      ],
      [
        "Groovy's single-quoted sh step",
        "sh 'dagger call plan --env testing'",
        [{ where: "f:1", words: ["plan", "--env", "testing"] }],
      ],
      [
        "a command substitution",
        'image="$(dagger call publish --address "$A" --username u --password env:P)"',
        [{ where: "f:1", words: ["publish", "--address", "$A*", "--username", "u", "--password", "env:P"] }],
      ],
      [
        "global flags before call",
        "dagger --progress plain call ci --env testing",
        [{ where: "f:1", words: ["ci", "--env", "testing"] }],
      ],
      [
        "operators end the command",
        "dagger call lint && dagger call ci | tee log; echo done",
        [
          { where: "f:1", words: ["lint"] },
          { where: "f:1", words: ["ci"] },
        ],
      ],
      [
        "comment lines are skipped",
        "# dagger call no-such-function\n  // dagger call nor-this\ndagger call lint # trailing comment",
        [{ where: "f:3", words: ["lint"] }],
      ],
      [
        "other verbs and URLs are not calls",
        "dagger functions\ncurl -fsSL https://dl.dagger.io/dagger/install.sh | sh\ndagger install github.com/acme/x",
        [],
      ],
      [
        "array expansions are dynamic words",
        'exec dagger call rollback --env "$env" ${to[@]+"${to[@]}"}',
        [{ where: "f:1", words: ["rollback", "--env", "$env*", '${to[@]+"${to[@]}"}*'] }],
      ],
    ]
    for (const [name, text, expected] of cases) {
      it(name, () => {
        const found = findCalls(text, "f").map((c) => ({
          where: c.where,
          words: c.words.map((w) => w.text + (w.dynamic ? "*" : "")),
        }))
        expect(found).to.deep.equal(expected)
      })
    }

    it("splits words like the shell", () => {
      expect(shellWords(`a 'b c' "d $E" f\\ g --x=1`)).to.deep.equal([
        { text: "a", dynamic: false },
        { text: "b c", dynamic: false },
        { text: "d $E", dynamic: true },
        { text: "f g", dynamic: false },
        { text: "--x=1", dynamic: false },
      ])
    })

    it("reads YAML through its string scalars, with file lines", () => {
      const yaml =
        "# dagger call commented-out\njob:\n  script:\n    - dagger call lint\n  run: |\n    echo hi\n    dagger call test export --path reports\n"
      expect(
        findCallsInFile("x.yml", yaml).map((c) => `${c.where} ${c.words.map((w) => w.text).join(" ")}`),
      ).to.deep.equal(["x.yml:4 lint", "x.yml:7 test export --path reports"])
    })

    it("reads Markdown through its fenced blocks only", () => {
      const md = "Run `dagger call <fn>` in prose.\n\n```sh\ndagger call lint\n```\n"
      expect(
        findCallsInFile("x.md", md).map((c) => `${c.where} ${c.words.map((w) => w.text).join(" ")}`),
      ).to.deep.equal(["x.md:4 lint"])
    })
  })

  describe("the checker", () => {
    /** The flags or functions a message lists, from the live module, so new ones do not break exact messages. */
    const flagsOf = (fn: string): string =>
      mod.functions
        .find((f) => f.cliName === fn)!
        .args.map((a) => `--${a.cliName}`)
        .join(", ")
    const functionNames = (): string => mod.functions.map((f) => f.cliName).join(", ")
    const cases: Array<[string, string, () => string[]]> = [
      [
        "a call that exists",
        "dagger call deploy --env staging --image r@sha256:1 --approve staging@0123456789ab --ssh-key env:DEPLOY_SSH_KEY",
        () => [],
      ],
      ["a Boolean flag takes no value", "dagger call plan --env staging --json", () => []],
      ["flag=value", "dagger call history --env=production --limit=5", () => []],
      [
        "constructor flags before the function",
        "dagger call --source . --environments ./environments config-check",
        () => [],
      ],
      ["a chained function of the returned object", "dagger call scan --env production check", () => []],
      [
        "a chain into the core API",
        "dagger call scan --env production sarif --target source export --path trivy.sarif",
        () => [],
      ],
      ["a core Directory function", "dagger call test export --path reports --wipe", () => []],
      [
        "a bogus flag",
        "dagger call deploy --env staging --image r@sha256:1 --aprove staging@0123456789ab",
        () => [`dagger call deploy: unknown flag --aprove for deploy (it takes ${flagsOf("deploy")})`],
      ],
      [
        "a renamed function",
        "dagger call deploy-app --env staging",
        () => [`dagger call: no function deploy-app on the module (it has ${functionNames()})`],
      ],
      [
        "a missing required flag",
        "dagger call deploy --env staging",
        () => ["dagger call deploy: deploy needs --image"],
      ],
      [
        "a flag with no value",
        "dagger call rollback --env",
        () => ["dagger call rollback: --env for rollback has no value"],
      ],
      [
        "a bogus constructor flag",
        "dagger call --src . lint",
        () => ["dagger call: unknown flag --src for the constructor (it takes --source, --environments)"],
      ],
      [
        "a bogus chained function",
        "dagger call scan --env testing chek",
        () => ["dagger call scan: no function chek on ScanReport (it has reports, sarif, json, check)"],
      ],
      [
        "a bogus core flag",
        "dagger call test export --paht reports",
        () => ["dagger call test export: unknown flag --paht for export (it takes --path, --wipe)"],
      ],
      ["a missing core flag", "dagger call test export", () => ["dagger call test export: export needs --path"]],
      [
        "a chain on a String",
        "dagger call lint stdout",
        () => ["dagger call lint: lint returns String; nothing can be chained on it (got stdout)"],
      ],
      ["no function at all", "dagger call --source .", () => ["dagger call: no function named"]],
    ]
    for (const [name, line, expected] of cases) {
      it(name, () => {
        expect(check(line)).to.deep.equal(expected())
      })
    }

    it("lists deploy's flags in the module's order", () => {
      expect(flagsOf("deploy").split(", ").slice(0, 7)).to.deep.equal([
        "--env",
        "--image",
        "--approve",
        "--version",
        "--lock-wait",
        "--ssh-key",
        "--requested-by",
      ])
    })

    it("breaks on the wrappers when the module renames a flag they use", () => {
      const renamed: ModuleDescription = {
        ...mod,
        functions: mod.functions.map((f) =>
          f.cliName === "deploy"
            ? {
                ...f,
                args: f.args.map((a) => (a.cliName === "image" ? { ...a, name: "imageRef", cliName: "image-ref" } : a)),
              }
            : f,
        ),
      }
      const flags = renamed.functions
        .find((f) => f.cliName === "deploy")!
        .args.map((a) => `--${a.cliName}`)
        .join(", ")
      expect(flags.startsWith("--env, --image-ref, --approve")).to.equal(true)
      // README line numbers move with every edit; the README's calls are named by file only.
      expect(
        checkCalls(repoCalls(), renamed, core).map((line) => line.replace(/^README\.md:\d+:/, "README.md:")),
      ).to.deep.equal([
        `ci/deploy.sh:35: dagger call deploy: unknown flag --image for deploy (it takes ${flags})`,
        `README.md: dagger call deploy: unknown flag --image for deploy (it takes ${flags})`,
        `README.md: dagger call deploy: unknown flag --image for deploy (it takes ${flags})`,
      ])
    })

    it("breaks on the configs when the module renames a function they use", () => {
      const renamed: ModuleDescription = {
        ...mod,
        functions: mod.functions.map((f) => (f.cliName === "status" ? { ...f, name: "state", cliName: "state" } : f)),
      }
      const listed = renamed.functions.map((f) => f.cliName).join(", ")
      expect(checkCalls(repoCalls(), renamed, core)).to.deep.equal([
        `ci/scripts/validate-deployment.sh:6: dagger call: no function status on the module (it has ${listed})`,
        `ci/scripts/validate-deployment.sh:21: dagger call: no function status on the module (it has ${listed})`,
      ])
    })
  })

  describe("the core API read from the SDK", () => {
    it("knows the chained functions the configs use", () => {
      const pick = (type: string, name: string) => core[type]?.find((f) => f.cliName === name)
      expect(pick("Directory", "export")).to.deep.equal({
        cliName: "export",
        args: [
          { cliName: "path", type: "String", optional: false },
          { cliName: "wipe", type: "Boolean", optional: true },
        ],
        returnType: "String",
      })
      expect(pick("File", "export")?.args.map((a) => a.cliName)).to.deep.equal(["path", "allow-parent-dir-path"])
      expect(pick("Container", "stdout")).to.deep.equal({ cliName: "stdout", args: [], returnType: "String" })
      expect(pick("Directory", "file")?.returnType).to.equal("File")
    })
  })

  describe("the repository's calls", () => {
    it("are found where expected", () => {
      expect(
        repoCalls().map(
          (c) => `${c.where.replace(/^(README|docs\/[a-z-]+)\.md:\d+$/, "$1.md")} ${chainOf(c.words, mod, core)}`,
        ),
      ).to.deep.equal([
        "ci/build.sh:6 build-multi-arch",
        "ci/build.sh:18 build-multi-arch",
        "ci/ci.sh:6 ci",
        "ci/ci.sh:15 ci",
        "ci/deploy.sh:35 deploy",
        "ci/lint.sh:5 lint",
        "ci/lint.sh:12 lint",
        "ci/publish.sh:27 publish",
        "ci/rollback.sh:7 history",
        "ci/rollback.sh:23 rollback",
        "ci/test.sh:6 test export",
        "ci/test.sh:15 test export",
        "ci/scripts/check-migrations.sh:8 check-migrations",
        "ci/scripts/check-migrations.sh:16 check-migrations",
        "ci/scripts/validate-deployment.sh:6 status",
        "ci/scripts/validate-deployment.sh:21 status",
        "ci/vendors/github/workflow.yml:53 scan sarif export",
        "README.md config-check",
        "README.md ci",
        "README.md publish",
        "README.md plan",
        "README.md check-migrations",
        "README.md deploy",
        "README.md rollback",
        "README.md deploy",
        "docs/ci.md scan sarif export",
      ])
    })

    it("all exist in the module", () => {
      expect(checkCalls(repoCalls(), mod, core)).to.deep.equal([])
    })

    it("check-migrations.sh calls check-migrations when the module registers it, else plan", () => {
      const registered = mod.functions.some((f) => f.cliName === "check-migrations")
      const calls = findCallsInFile("ci/scripts/check-migrations.sh", readRepoFile("ci/scripts/check-migrations.sh"))
      expect(calls.map((c) => chainOf(c.words, mod, core))).to.deep.equal(
        registered ? ["check-migrations", "check-migrations"] : ["plan", "plan"],
      )
    })

    it("pass secrets only as env: or file: references", () => {
      const secretFlags = repoCalls().flatMap((c) =>
        c.words.flatMap((w, i) => (["--password", "--ssh-key"].includes(w.text) ? [c.words[i + 1]?.text ?? ""] : [])),
      )
      expect(secretFlags).to.deep.equal(["env:REGISTRY_PASSWORD", "env:REGISTRY_PASSWORD"])
    })
  })
})
