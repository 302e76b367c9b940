/**
 * `deploy --env development` as a newcomer runs it, on a machine where the only thing set up is
 * Docker: the CLI as a process, in a project folder holding only environments/ (the shipped
 * base.yaml and development.yaml, with this spec's app name, free proxy ports and the test images
 * of the managed services, since no registry is reachable here), no DJANGO_SECRET_KEY and no
 * database of its own. The deploy must run Postgres, Memcached and RabbitMQ itself, migrate the
 * real Django app into that Postgres, and serve it; the second deploy must reuse the services and
 * their data; a third without --image must build the folder's Dockerfile and deploy that. The
 * project folder is a copy of the reference app (its Dockerfile and source) with environments/
 * beside it. Nothing on the machine's own Postgres or RabbitMQ is used.
 */
import { spawn } from "node:child_process"
import {
  cpSync,
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect } from "chai"
import { parse, stringify } from "yaml"
import { deepMerge } from "../../core/config/merge.js"
import { CLI_ARGV } from "../helpers/cli.js"
import { freePort } from "../helpers/deploy-env.js"
import { DOCKER, requireDocker } from "../helpers/docker-images.js"
import { type AppImage, DJANGO_APP_DIR, buildAppImage } from "../helpers/django-images.js"
import { PYTHON_BASE_IMAGE, ensureHaproxyImage } from "../helpers/haproxy-image.js"
import { V1, V2 } from "../helpers/django-variants.js"
import { ROOT } from "../helpers/paths.js"

const APP = `dpmanaged${process.pid}`
const PROJECT = `${APP}-development`
const TEST_IMAGES = {
  postgres: "deploy-pipeline-test/postgres:15",
  memcached: "deploy-pipeline-test/memcached:local",
  rabbitmq: "deploy-pipeline-test/rabbitmq:local",
}

interface Run {
  code: number
  stdout: string
  stderr: string
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 600_000,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.on("error", reject)
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

const docker = async (...args: string[]): Promise<string> => (await run(DOCKER, args, ROOT)).stdout.trim()

describe("deploy --env development on a machine with only Docker (the CLI as a process, the real Django app)", function () {
  this.timeout(900_000)
  let project = ""
  let port = 0
  let v1: AppImage
  let v2: AppImage
  // The newcomer's shell: no DJANGO_SECRET_KEY, nothing of the test machine's services.
  const shell = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(DJANGO_|DP_TEST_|DEPLOY_PIPELINE_MANAGED_)/.test(name)),
    ),
    // The CLI runs from the sources here (tsx), from a folder outside the repository.
    TSX_TSCONFIG_PATH: join(ROOT, "tsconfig.test.json"),
  }
  const deploy = (image: string) =>
    run(process.execPath, [...CLI_ARGV, "deploy", "--env", "development", "--image", image], project, shell)

  before(async function () {
    this.timeout(1_800_000) // cold builds: the services' Debian packages, the app's wheels
    requireDocker()
    const proxyImage = await ensureHaproxyImage()
    const built = await run(
      "bash",
      [join(ROOT, "test", "fixtures", "images", "dev-services.sh")],
      ROOT,
      process.env,
      1_500_000,
    )
    if (built.code !== 0) throw new Error(`dev-services.sh failed: ${built.stderr}`)
    v1 = await buildAppImage(V1)
    v2 = await buildAppImage(V2)
    project = mkdtempSync(join(tmpdir(), "dp-newcomer-"))
    cpSync(DJANGO_APP_DIR, project, { recursive: true })
    mkdirSync(join(project, "environments"))
    // No package index inside this machine's builds of the app: the wheels django-app.sh downloaded, as it passes them.
    const wheels = join(ROOT, "test", "fixtures", "images", ".build", "wheels")
    const complete = readdirSync(wheels).filter((key) => existsSync(join(wheels, key, ".complete")))
    if (complete.length === 0)
      throw new Error("no downloaded wheels under test/fixtures/images/.build/wheels (django-app.sh makes them)")
    cpSync(join(wheels, complete[0]!), join(project, "wheels"), { recursive: true })
    port = await freePort()
    const shipped = (name: string) => parse(readFileSync(join(ROOT, "environments", name), "utf8"))
    writeFileSync(join(project, "environments", "base.yaml"), stringify(shipped("base.yaml")))
    const development = deepMerge(shipped("development.yaml"), {
      app: { name: APP },
      deploy: { proxy: { bind: "127.0.0.1", http_port: port, preview_port: await freePort(), image: proxyImage } },
      health: { start_deadline: "90s" },
      services: { images: TEST_IMAGES },
    })
    writeFileSync(join(project, "environments", "development.yaml"), stringify(development))
  })

  after(async () => {
    const names = (await docker("ps", "--all", "--quiet", "--filter", `label=deploy-pipeline.project=${PROJECT}`))
      .split("\n")
      .filter(Boolean)
    if (names.length) await docker("rm", "--force", ...names)
    await docker("volume", "rm", `${PROJECT}-postgres-data`, `${PROJECT}-rabbitmq-data`)
    await docker("network", "rm", `${PROJECT}-net`)
    if (project) rmSync(project, { recursive: true, force: true })
  })

  const serviceIds = async () =>
    Object.fromEntries(
      await Promise.all(
        ["postgres", "memcached", "rabbitmq"].map(async (s) => [
          s,
          await docker("container", "inspect", "--format", "{{.Id}}", `${PROJECT}-${s}`),
        ]),
      ),
    )

  it("first deploy: runs the three services, generates the secret key, migrates the app into its own Postgres and serves it", async () => {
    const result = await deploy(v1.id)
    console.log(`${result.stderr}${result.stdout}`.replace(/^/gm, "      | "))
    expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(0)
    expect(result.stdout).to.match(
      new RegExp(`^deploy #1 succeeded: ${v1.id} is live in development \\(blue\\) \\(\\d+\\.\\d s\\)`),
    )
    for (const service of ["postgres", "memcached", "rabbitmq"])
      expect(result.stderr).to.include(`${service}: created ${PROJECT}-${service}`)
    expect(result.stderr).to.include(
      `SECRET_KEY: DJANGO_SECRET_KEY is unset; generated a development key into ${join(project, ".deploy-pipeline", "development.env")}`,
    )
    expect(statSync(join(project, ".deploy-pipeline", "development.env")).mode & 0o777).to.equal(0o600)
    const health = await fetch(`http://127.0.0.1:${port}/health/`, { headers: { host: "localhost" } })
    const body = (await health.json()) as { status: string; version: string }
    // Without --version a release reports the first 12 hex of its digest.
    expect([health.status, body.status, body.version]).to.deep.equal([200, "healthy", v1.id.slice(7, 19)])
    const tables = await docker(
      "exec",
      `${PROJECT}-postgres`,
      "psql",
      "-U",
      "webapp",
      "-d",
      "webapp",
      "-Atc",
      "select count(*) from django_migrations where app = 'core'",
    )
    expect(tables).to.equal("1")
  })

  it("second deploy: reuses the same service containers and their data, and applies v2's migration", async () => {
    const before = await serviceIds()
    const key = readFileSync(join(project, ".deploy-pipeline", "development.env"), "utf8")
    const result = await deploy(v2.id)
    console.log(`${result.stderr}${result.stdout}`.replace(/^/gm, "      | "))
    expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(0)
    for (const service of ["postgres", "memcached", "rabbitmq"])
      expect(result.stderr).to.include(`${service}: reused ${PROJECT}-${service}`)
    expect(await serviceIds()).to.deep.equal(before)
    expect(readFileSync(join(project, ".deploy-pipeline", "development.env"), "utf8")).to.equal(key)
    const applied = await docker(
      "exec",
      `${PROJECT}-postgres`,
      "psql",
      "-U",
      "webapp",
      "-d",
      "webapp",
      "-Atc",
      "select name from django_migrations where app = 'core' order by id",
    )
    expect(applied.split("\n")).to.deep.equal(["0001_initial", "0002_release_deployed_at"])
    const health = (await (
      await fetch(`http://127.0.0.1:${port}/health/`, { headers: { host: "localhost" } })
    ).json()) as { version: string }
    expect(health.version).to.equal(v2.id.slice(7, 19))
  })

  it("third deploy, without --image: builds the folder's Dockerfile with the local engine and deploys that image", async () => {
    const result = await run(
      process.execPath,
      [
        ...CLI_ARGV,
        "deploy",
        "--env",
        "development",
        "--build-arg",
        `PYTHON_IMAGE=${PYTHON_BASE_IMAGE}`,
        "--build-arg",
        "WHEELS=wheels",
      ],
      project,
      shell,
    )
    console.log(`${result.stderr}${result.stdout}`.replace(/^/gm, "      | "))
    expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(0)
    const built = await docker("image", "inspect", "--format", "{{.Id}}", `${PROJECT}:source`)
    expect(built).to.match(/^sha256:[0-9a-f]{64}$/)
    expect(result.stderr).to.include(`build: . (Dockerfile, target production) as ${PROJECT}:source…`)
    expect(result.stdout).to.match(new RegExp(`^deploy #3 succeeded: ${built} is live in development \\(blue\\)`))
    const health = (await (
      await fetch(`http://127.0.0.1:${port}/health/`, { headers: { host: "localhost" } })
    ).json()) as { version: string }
    expect(health.version).to.equal(built.slice(7, 19))
  })
})
