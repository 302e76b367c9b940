/**
 * The repository's own checks hold whether or not `dagger develop` has written sdk/ (and removed
 * the npm SDK from package.json, which this package.json never lists): a copy of the repository
 * gets the replica's bundle as its sdk/, then the typecheck and SDK-using specs run there.
 */
import { expect } from "chai"
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

import { REPO_ROOT } from "../paths.js"
import { ensureReplica } from "./build-replica.js"
import { npmSdkDist, typedClientSource } from "./sdk-bundle.js"

function copyOfRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "with-sdk-"))
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean)
  for (const file of files) {
    if (!fs.existsSync(path.join(REPO_ROOT, file))) continue
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file))
  }
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"))
  return dir
}

describe("harness/replica: the repository's checks with an engine-generated sdk/", function () {
  this.timeout(600_000)
  let copy: string

  before(async () => {
    copy = copyOfRepository()
    const sdk = path.join(copy, "sdk")
    fs.cpSync(path.join((await ensureReplica(REPO_ROOT)).moduleDir, "sdk"), sdk, { recursive: true })
    // dagger develop's client.gen.ts is typed source; the replica's run-time one is compiled code.
    fs.writeFileSync(
      path.join(sdk, "client.gen.ts"),
      typedClientSource(fs.readFileSync(path.join(npmSdkDist(), "api", "client.gen.d.ts"), "utf8")),
    )
  })
  after(() => fs.rmSync(copy, { recursive: true, force: true }))

  it("typechecks against sdk/index.ts, whose exports are only the bundle's", () => {
    const tsc = spawnSync(
      process.execPath,
      [
        path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"),
        "--noEmit",
        "-p",
        "tsconfig.json",
        "--traceResolution",
      ],
      { cwd: copy, encoding: "utf8", maxBuffer: 1 << 30 },
    )
    const errors = tsc.stdout.split("\n").filter((line) => line.includes("error TS"))
    expect(errors).to.deep.equal([])
    expect(tsc.status).to.equal(0)
    expect(tsc.stdout).to.contain(
      `Module name '@dagger.io/dagger' was successfully resolved to '${fs.realpathSync(copy)}/sdk/index.ts'`,
    )
  })

  it("runs SDK-using specs the way npm test does (mocha with tsconfig.test.json)", () => {
    const specs = ["test/exec/dagger-postgres.spec.ts", "test/stages/exec-failure.spec.ts"]
    const mocha = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, "node_modules", "mocha", "bin", "mocha.js"), ...specs],
      { cwd: copy, encoding: "utf8", env: { ...process.env, TSX_TSCONFIG_PATH: "tsconfig.test.json" } },
    )
    expect(mocha.stdout, mocha.stderr).to.match(/^\d+ passed, 0 failed, 0 skipped$/m)
    expect(mocha.status).to.equal(0)
  })
})
