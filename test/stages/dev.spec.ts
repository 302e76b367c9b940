/**
 * The development service graph, recorded at the direct level: devService() inside connection()
 * against the recording engine, then the chain behind the returned Service ID. Assertions are on
 * the whole graph: the Caddy front and its ports, the app from the development target with the
 * source mounted, the backing services, Adminer and Mailhog, and the app's environment.
 */
import { expect } from "chai"
import { type DirectoryID, connection, dag } from "@dagger.io/dagger"
import type { EnvironmentConfig } from "../../core/config/schema.js"
import { IMAGES } from "../../core/constants.js"
import { devService } from "../../core/stages/dev.js"
import { type Chain, type Ref, call, describeChain, findCalls, isRef } from "../harness/chain.js"
import { type RecordingEngine, startRecordingEngine } from "../harness/recording-engine.js"
import { DJANGO_APP } from "../helpers/dagger.js"
import { shippedEnvironment } from "../helpers/environments.js"

const ref = (value: unknown): Ref => {
  if (!isRef(value)) throw new Error(`expected an object reference, got ${JSON.stringify(value)}`)
  return value
}
/** The service bound under `alias` at the top level of `chain`. */
const bound = (chain: Chain, alias: string): Ref => {
  const binding = chain.find((c) => c.field === "withServiceBinding" && c.args.alias === alias)
  if (!binding) throw new Error(`no binding ${alias} in ${describeChain(chain)}`)
  return ref(binding.args.service)
}
const aliases = (chain: Chain) => chain.filter((c) => c.field === "withServiceBinding").map((c) => c.args.alias)
const exposed = (chain: Chain) => chain.filter((c) => c.field === "withExposedPort").map((c) => c.args)
const envOf = (chain: Chain) =>
  chain.filter((c) => c.field === "withEnvVariable").map((c) => [c.args.name, c.args.value])

const POSTGRES =
  `container.from(address: "postgres:17.2").withEnvVariable(name: "POSTGRES_USER", value: "webapp")` +
  `.withEnvVariable(name: "POSTGRES_PASSWORD", value: "development-only").withEnvVariable(name: "POSTGRES_DB", value: "webapp")` +
  `.withMountedTemp(path: "/var/lib/postgresql/data").withExposedPort(port: 5432).asService(useEntrypoint: true)`
const MAILHOG =
  `container(platform: "linux/amd64").from(address: "mailhog/mailhog:v1.0.1")` +
  `.withExposedPort(port: 1025).withExposedPort(port: 8025).asService(args: ["MailHog"], useEntrypoint: false)`
const APP_EXCLUDE = [
  "**/*.md",
  "docs/",
  "environments/",
  "ci/",
  ".github/",
  ".gitlab-ci.yml",
  ".circleci/",
  "Jenkinsfile",
  "azure-pipelines.yml",
  "bitbucket-pipelines.yml",
  ".dagger/",
]

describe("dev: the development service graph", () => {
  let engine: RecordingEngine
  let savedEnv: NodeJS.ProcessEnv
  const development = () => shippedEnvironment("development").config

  before(async () => {
    savedEnv = { ...process.env }
    engine = await startRecordingEngine()
  })
  after(async () => {
    await engine.stop()
    process.env = savedEnv
  })
  beforeEach(() => engine.reset())

  /** The chain behind devService(<host django-app>, config).id(), in a fresh session (reset drops old ones). */
  async function record(config: EnvironmentConfig): Promise<Chain> {
    Object.assign(process.env, engine.sessionEnv(engine.newSession()))
    const source = engine.makeId([call("host"), call("directory", { path: DJANGO_APP })])
    let id = ""
    await connection(async () => {
      id = await devService(dag.loadDirectoryFromID(source as DirectoryID), config).id()
    })
    return engine.resolve(id)
  }

  it("returns a Caddy front that binds app, adminer and mailhog and publishes 8000, 8080 and 8025", async () => {
    const front = await record(development())
    expect(front.slice(0, 2)).to.deep.equal([call("container"), call("from", { address: IMAGES.caddy })])
    expect(front[2]).to.deep.equal(
      call("withNewFile", {
        path: "/etc/caddy/Caddyfile",
        contents: [
          "{\n\tadmin off\n\tauto_https off\n}",
          "http://:8000 {\n\treverse_proxy app:8000\n}",
          "http://:8080 {\n\treverse_proxy adminer:8080\n}",
          "http://:8025 {\n\treverse_proxy mailhog:8025\n}\n",
        ].join("\n\n"),
      }),
    )
    expect(aliases(front)).to.deep.equal(["app", "adminer", "mailhog"])
    expect(exposed(front)).to.deep.equal([
      { port: 8000, description: "Django runserver" },
      { port: 8080, description: "Adminer (server: db)" },
      { port: 8025, description: "Mailhog web UI" },
    ])
    expect(front.at(-1)).to.deep.equal(
      call("asService", {
        args: ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"],
        useEntrypoint: false,
      }),
    )
  })

  it("app: the development target built from Dockerfile and requirements, the source mounted over /app, runserver on 8000", async () => {
    const app = bound(await record(development()), "app").chain
    const context = `host.directory(path: "${DJANGO_APP}").filter(include: ["Dockerfile", "requirements*.txt"])`
    expect(describeChain(app.slice(0, 6))).to.equal(
      `${context}.dockerBuild(target: "development", buildArgs: [{name: "PYTHON_IMAGE", value: "${IMAGES.python}"}])` +
        `.withMountedDirectory(path: "/app", source: <host.directory(path: "${DJANGO_APP}").filter(exclude: ${JSON.stringify(APP_EXCLUDE).replace(/,/g, ", ")})>, owner: "10001:10001")` +
        `.withWorkdir(path: "/app")`,
    )
    expect(exposed(app)).to.deep.equal([{ port: 8000 }])
    expect(app.at(-1)).to.deep.equal(
      call("asService", {
        args: ["sh", "-c", "python manage.py migrate --noinput && exec python manage.py runserver 0.0.0.0:8000"],
        useEntrypoint: false,
      }),
    )
  })

  it("app: Postgres on tmpfs, Memcached, RabbitMQ and Mailhog bound as db, cache, queue and mailhog", async () => {
    const app = bound(await record(development()), "app").chain
    expect(aliases(app)).to.deep.equal(["db", "cache", "queue", "mailhog"])
    expect(describeChain(bound(app, "db").chain)).to.equal(POSTGRES)
    expect(describeChain(bound(app, "cache").chain)).to.equal(
      `container.from(address: "${IMAGES.memcached}").withExposedPort(port: 11211).asService(useEntrypoint: true)`,
    )
    expect(describeChain(bound(app, "queue").chain)).to.equal(
      `container.from(address: "${IMAGES.rabbitmq}").withExposedPort(port: 5672).asService(useEntrypoint: true)`,
    )
    expect(describeChain(bound(app, "mailhog").chain)).to.equal(MAILHOG)
    expect(findCalls(app, "withMountedTemp").map((c) => c.args.path)).to.deep.equal(["/var/lib/postgresql/data"])
  })

  it("app: development settings, services by alias, email to Mailhog, a throwaway SECRET_KEY", async () => {
    const app = bound(await record(development()), "app").chain
    expect(envOf(app)).to.deep.equal([
      ["DJANGO_SETTINGS_MODULE", "config.settings.development"],
      ["DEBUG", "true"],
      ["LOG_LEVEL", "DEBUG"],
      ["SECRET_KEY", "development-only-not-a-secret"],
      ["POSTGRES_HOST", "db"],
      ["POSTGRES_PORT", "5432"],
      ["POSTGRES_DB", "webapp"],
      ["POSTGRES_USER", "webapp"],
      ["POSTGRES_PASSWORD", "development-only"],
      ["MEMCACHED_LOCATION", "cache:11211"],
      ["RABBITMQ_URL", "amqp://guest:guest@queue:5672//"],
      ["EMAIL_HOST", "mailhog"],
      ["EMAIL_PORT", "1025"],
    ])
  })

  it("Adminer binds the app's own Postgres as db; the front and the app share one Mailhog", async () => {
    const front = await record(development())
    const app = bound(front, "app").chain
    const adminer = bound(front, "adminer")
    expect(describeChain(adminer.chain)).to.equal(
      `container.from(address: "adminer:4.8.1").withServiceBinding(alias: "db", service: <${POSTGRES}>)` +
        `.withEnvVariable(name: "ADMINER_DEFAULT_SERVER", value: "db").withExposedPort(port: 8080).asService(useEntrypoint: true)`,
    )
    // The same service ID twice: Dagger starts it once, so Adminer shows the app's data.
    expect(bound(adminer.chain, "db").$ref).to.equal(bound(app, "db").$ref)
    expect(describeChain(bound(front, "mailhog").chain)).to.equal(MAILHOG)
    expect(bound(front, "mailhog").$ref).to.equal(bound(app, "mailhog").$ref)
  })

  it("with tools.adminer and tools.mailhog off: only the app, on 8000, and email settings left to the app", async () => {
    const config = development()
    const front = await record({ ...config, tools: { adminer: false, mailhog: false } })
    expect(aliases(front)).to.deep.equal(["app"])
    expect(exposed(front)).to.deep.equal([{ port: 8000, description: "Django runserver" }])
    expect(front[2]!.args.contents).to.equal(
      "{\n\tadmin off\n\tauto_https off\n}\n\nhttp://:8000 {\n\treverse_proxy app:8000\n}\n",
    )
    const app = bound(front, "app").chain
    expect(aliases(app)).to.deep.equal(["db", "cache", "queue"])
    expect(envOf(app).map(([name]) => name)).to.deep.equal([
      "DJANGO_SETTINGS_MODULE",
      "DEBUG",
      "LOG_LEVEL",
      "SECRET_KEY",
      "POSTGRES_HOST",
      "POSTGRES_PORT",
      "POSTGRES_DB",
      "POSTGRES_USER",
      "POSTGRES_PASSWORD",
      "MEMCACHED_LOCATION",
      "RABBITMQ_URL",
    ])
    expect(findCalls(front, "from").map((c) => c.args.address)).to.deep.equal([
      IMAGES.caddy,
      IMAGES.postgres,
      IMAGES.memcached,
      IMAGES.rabbitmq,
    ])
  })
})
