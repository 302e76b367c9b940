/**
 * The package as a user gets it: `npm pack` (prepare compiles dist/), installed with its runtime
 * dependencies only into an empty folder, and the installed bin run from there. It must start
 * with no TypeScript loader (tsx is a devDependency, so it is not there) and print exactly what
 * the sources print. The one before hook does the slow part: build, pack, install (~1 min).
 */
import { expect } from "chai"
import { type SpawnSyncReturns, spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { USAGE } from "../../core/cli/usage.js"
import { cli } from "../helpers/cli.js"
import { ENVIRONMENTS, FIXTURES, ROOT } from "../helpers/paths.js"

/** The child's environment without the npm_* variables an enclosing `npm test` sets, so npm runs as a user's would. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
)

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env: cleanEnv, encoding: "utf8", timeout: 240_000 })
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited ${result.status ?? result.signal}:\n${result.stderr}`)
  return result
}

const SQL = join(FIXTURES, "migrations", "corpus", "07_django_add_foreign_key.sql")

describe("cli installed from the packed tarball", () => {
  let app: string
  const installed = (...argv: string[]) => {
    const result = spawnSync(join(app, "node_modules", ".bin", "deploy-pipeline"), argv, {
      cwd: app,
      env: cleanEnv,
      encoding: "utf8",
      timeout: 60_000,
    })
    return { code: result.status, stdout: result.stdout, stderr: result.stderr }
  }
  const sourcesSay = async (...argv: string[]) => {
    const { code, stdout, stderr } = await cli(...argv)
    return { code, stdout, stderr }
  }

  before(function () {
    this.timeout(600_000)
    const work = mkdtempSync(join(tmpdir(), "dp-installed-"))
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }
    run("npm", ["pack", "--pack-destination", work], ROOT)
    app = join(work, "app")
    mkdirSync(app)
    run("npm", ["init", "-y"], app)
    // --prefer-offline: the cache is warm after npm ci, but with no lock file npm may pick a newer
    // transitive version than the cache holds (--offline then fails), so it may fetch those.
    run(
      "npm",
      [
        "install",
        "--omit=dev",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        join(work, `deploy-pipeline-${version}.tgz`),
      ],
      app,
    )
    cpSync(ENVIRONMENTS, join(app, "environments"), { recursive: true })
  })

  it("ships compiled JavaScript only, installs without tsx or the Dagger SDK, and nothing in dist/ names @dagger.io/dagger", () => {
    const pkg = join(app, "node_modules", "deploy-pipeline")
    const shipped = readdirSync(pkg, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(pkg.length + 1))
    expect(shipped.filter((f) => !/^dist\/.+\.js$/.test(f)).sort()).to.deep.equal([
      "README.md",
      "bin/deploy-pipeline.js",
      "package.json",
    ])
    expect(
      shipped.filter((f) => f.startsWith("dist/") && readFileSync(join(pkg, f), "utf8").includes("@dagger.io/dagger")),
    ).to.deep.equal([])
    expect(["tsx", "@dagger.io"].filter((name) => existsSync(join(app, "node_modules", name)))).to.deep.equal([])
  })

  it("npx deploy-pipeline --help prints the usage and exits 0", () => {
    const result = spawnSync("npx", ["--no", "--", "deploy-pipeline", "--help"], {
      cwd: app,
      env: cleanEnv,
      encoding: "utf8",
      timeout: 60_000,
    })
    expect({ code: result.status, stdout: result.stdout, stderr: result.stderr }).to.deep.equal({
      code: 0,
      stdout: `${USAGE}\n`,
      stderr: "",
    })
  })

  it("config check reads ./environments and prints what the sources print", async () => {
    const result = installed("config", "check")
    expect(result).to.deep.equal(await sourcesSay("config", "check", "--dir", ENVIRONMENTS))
    expect(result.code).to.equal(0)
  })

  it("config check --dir on a broken folder: exit 1, located, as the sources say", async () => {
    const broken = mkdtempSync(join(tmpdir(), "dp-installed-env-"))
    cpSync(ENVIRONMENTS, broken, { recursive: true })
    const production = join(broken, "production.yaml")
    writeFileSync(production, readFileSync(production, "utf8").replace("replicas: 3", "replicas: three"))
    const result = installed("config", "check", "--dir", broken)
    expect(result).to.deep.equal(await sourcesSay("config", "check", "--dir", broken))
    expect(result.code).to.equal(1)
  })

  it("migrations check loads the WASM parser from the installed dependencies", async () => {
    const result = installed("migrations", "check", SQL)
    expect(result).to.deep.equal(await sourcesSay("migrations", "check", SQL))
    expect(result.code).to.equal(1)
    expect(result.stdout + result.stderr).to.match(/07_django_add_foreign_key\.sql:\d+ error /)
  })
})
