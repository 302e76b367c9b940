/**
 * The replica catches what only the engine would: each case failed on a real engine (or, for the
 * install, on the runtime's own steps) and passed the npm-SDK harness this replica replaces.
 */
import { expect } from "chai"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

import { runFunction } from "../entrypoint.js"
import { REPO_ROOT } from "../paths.js"
import { type RecordingEngine, startRecordingEngine } from "../recording-engine.js"
import { ReplicaInstallError, ensureReplica, installDependencies } from "./build-replica.js"

const fixture = path.join(REPO_ROOT, "test", "fixtures", "harness-module")

function copyOfFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "replica-module-"))
  fs.cpSync(fixture, dir, { recursive: true })
  return dir
}

describe("harness/replica: what the engine's module container does", function () {
  this.timeout(600_000)
  let engine: RecordingEngine
  const made: string[] = []

  before(async () => {
    engine = await startRecordingEngine()
  })
  after(async () => {
    await engine.stop()
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
  })

  it("has @dagger.io/dagger as the bundle at sdk/ and node_modules/, with no npm SDK installed", async () => {
    const replica = await ensureReplica(REPO_ROOT)
    for (const where of ["sdk", "node_modules/@dagger.io/dagger"]) {
      expect(fs.readdirSync(path.join(replica.moduleDir, where)).sort(), where).to.deep.equal([
        "client.gen.ts",
        "core.d.ts",
        "core.js",
        "index.ts",
        "telemetry.ts",
      ])
    }
    expect(fs.existsSync(path.join(replica.moduleDir, "node_modules", "@dagger.io", "dagger-npm"))).to.equal(false)
    expect(
      JSON.parse(fs.readFileSync(path.join(replica.moduleDir, "tsconfig.json"), "utf8")).compilerOptions.paths[
        "@dagger.io/dagger"
      ],
    ).to.deep.equal(["./sdk/index.ts"])
  })

  it("kills the module at load time when its code imports a name the bundle does not export (ExecError)", async () => {
    const dir = copyOfFixture()
    made.push(dir)
    fs.writeFileSync(
      path.join(dir, "src", "failure.ts"),
      'import { ExecError } from "@dagger.io/dagger"\n\nexport const isExec = (e: unknown) => e instanceof ExecError\n',
    )
    const result = await runFunction(engine, { moduleRoot: dir, fn: "test" })
    expect(result.exitCode).to.equal(1)
    expect(result.value).to.equal(undefined)
    expect(result.stderr).to.contain(
      "SyntaxError: The requested module '@dagger.io/dagger' does not provide an export named 'ExecError'",
    )
  })

  it("fails `npm install --omit=dev` with EBUSY when package.json pins exactly the runtime's TypeScript beside other dependencies", async function () {
    if (process.getuid?.() !== 0)
      throw new Error(
        "this case bind-mounts the runtime's TypeScript as the engine does, which needs root (CI runs as root)",
      )
    const dir = copyOfFixture()
    made.push(dir)
    const pkg = { name: "ebusy", type: "module", dependencies: { typescript: "5.9.3", yaml: "2.9.1" } }
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg))
    execFileSync("npm", ["install", "--package-lock-only", "--no-audit", "--no-fund", "--prefer-offline"], {
      cwd: dir,
      stdio: "ignore",
    })
    const lock = fs.readFileSync(path.join(dir, "package-lock.json"), "utf8")
    let caught: unknown
    try {
      await installDependencies(pkg, { "package-lock.json": lock })
    } catch (error) {
      caught = error
    }
    expect(caught).to.be.instanceOf(ReplicaInstallError)
    expect((caught as Error).message).to.match(
      /npm error code EBUSY\nnpm error syscall rename\nnpm error path .*\/node_modules\/typescript\n/,
    )
    // With this repository's pin the runtime does not mount, and the install goes through.
    const ours = await installDependencies(
      { ...pkg, dependencies: { typescript: "~5.9.3", yaml: "2.9.1" } },
      { "package-lock.json": lock.replaceAll('"typescript": "5.9.3"', '"typescript": "~5.9.3"') },
    )
    expect(
      fs
        .readdirSync(ours)
        .filter((name) => !name.startsWith("."))
        .sort(),
    ).to.deep.equal(["typescript", "yaml"])
  })
})
