/**
 * The development deploy's own Postgres, Memcached and RabbitMQ on the real Docker engine, with
 * the stand-in images test/fixtures/images/dev-services.sh builds from Debian's packages (they
 * honour the official images' env). One environment name per run, so other specs on the same
 * engine never meet these containers. The images are built (or found current) in `before`: a
 * machine without them fails here, it never skips.
 */
import { expect } from "chai"
import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { promisify } from "node:util"
import amqp from "amqplib"
import memjs from "memjs"
import pg from "pg"
import { DevServiceError } from "../../core/deploy/dev-service-error.js"
import { type DevServicesConfig, planDevServices } from "../../core/deploy/dev-services-plan.js"
import { type DevServicesResult, ensureDevServices } from "../../core/deploy/dev-services.js"
import { localExecutor } from "../../core/exec/local.js"
import { systemTiming } from "../../core/time/clock.js"
import { shippedEnvironment } from "../helpers/environments.js"
import { requireDocker } from "../helpers/docker-images.js"
import { ROOT } from "../helpers/paths.js"

const run = promisify(execFile)
const docker = async (...args: string[]): Promise<string> =>
  (await run("docker", args, { encoding: "utf8" })).stdout.trim()

const TEST_IMAGES = {
  postgres: "deploy-pipeline-test/postgres:15",
  memcached: "deploy-pipeline-test/memcached:local",
  rabbitmq: "deploy-pipeline-test/rabbitmq:local",
}
const envName = `devsvc-${randomBytes(3).toString("hex")}`
const shipped = shippedEnvironment("development").config
const config: DevServicesConfig = { ...shipped, services: { ...shipped.services, images: TEST_IMAGES } }
const project = `webapp-${envName}`
const names = { postgres: `${project}-postgres`, memcached: `${project}-memcached`, rabbitmq: `${project}-rabbitmq` }

describe("deploy/dev-services (real Docker engine)", function () {
  this.timeout(300_000)
  const lines: string[] = []
  const options = { timing: systemTiming, log: (line: string) => lines.push(line) }
  let first: DevServicesResult

  before(async function () {
    this.timeout(1_200_000) // a cold build installs three sets of Debian packages
    requireDocker()
    await run("bash", [join(ROOT, "test", "fixtures", "images", "dev-services.sh")], {
      encoding: "utf8",
      timeout: 1_200_000,
    })
  })

  after(async () => {
    await run("docker", ["rm", "--force", ...Object.values(names)]).catch(() => undefined)
    await run("docker", ["volume", "rm", `${project}-postgres-data`, `${project}-rabbitmq-data`]).catch(() => undefined)
    await run("docker", ["network", "rm", `${project}-net`]).catch(() => undefined)
  })

  const pgClient = (at: { host: string; port: number }, password = "development-only") =>
    new pg.Client({
      host: at.host,
      port: at.port,
      user: "webapp",
      database: "webapp",
      password,
      connectionTimeoutMillis: 10_000,
    })

  it("creates the three on a fresh network; each does real work at the deployer's view", async () => {
    const plan = planDevServices(config, envName)
    first = await ensureDevServices(localExecutor, plan, options)
    expect(first.services.map((s) => [s.service, s.container, s.image, s.action, s.app])).to.deep.equal([
      ["postgres", names.postgres, TEST_IMAGES.postgres, "created", { host: "db", port: 5432 }],
      ["memcached", names.memcached, TEST_IMAGES.memcached, "created", { host: "cache", port: 11211 }],
      ["rabbitmq", names.rabbitmq, TEST_IMAGES.rabbitmq, "created", { host: "queue", port: 5672 }],
    ])
    for (const s of first.services) {
      expect(s.id).to.equal(await docker("container", "inspect", "--format", "{{.Id}}", s.container))
      expect(s.deployer).to.deep.equal({
        host: "127.0.0.1",
        port: Number((await docker("port", s.container, `${s.app.port}/tcp`)).split(":").at(-1)),
      })
      expect(first.reach[s.service]).to.deep.equal(s.deployer)
    }
    expect(
      await docker("network", "inspect", "--format", '{{index .Labels "deploy-pipeline.project"}}', `${project}-net`),
    ).to.equal(project)
    const aliases = await docker(
      "container",
      "inspect",
      "--format",
      `{{json (index .NetworkSettings.Networks "${project}-net").Aliases}}`,
      names.postgres,
    )
    expect(JSON.parse(aliases)).to.include("db")
    expect(
      await docker(
        "container",
        "inspect",
        "--format",
        "{{range .Mounts}}{{.Name}}:{{.Destination}}{{end}}",
        names.postgres,
      ),
    ).to.equal(`${project}-postgres-data:/var/lib/postgresql/data`)

    // A real login with the configured user to the configured database, and a row for later.
    const client = pgClient(first.reach.postgres!)
    await client.connect()
    try {
      await client.query("CREATE TABLE kept (note text)")
      await client.query("INSERT INTO kept VALUES ('written before the second deploy')")
      expect((await client.query("SELECT current_user, current_database()")).rows).to.deep.equal([
        { current_user: "webapp", current_database: "webapp" },
      ])
    } finally {
      await client.end()
    }
    const mq = await amqp.connect({
      hostname: "127.0.0.1",
      port: first.reach.rabbitmq!.port,
      username: "webapp",
      password: "development-only",
      vhost: "/",
    })
    try {
      const channel = await mq.createChannel()
      const queue = await channel.assertQueue("", { exclusive: true })
      channel.sendToQueue(queue.queue, Buffer.from("hello"))
      const got = await new Promise<string>(
        (resolve) => void channel.consume(queue.queue, (m) => m && resolve(m.content.toString())),
      )
      expect(got).to.equal("hello")
    } finally {
      await mq.close()
    }
    const cache = memjs.Client.create(`127.0.0.1:${first.reach.memcached!.port}`, { logger: { log: () => undefined } })
    try {
      await cache.set("dev-services-spec", "cached", {})
      expect((await cache.get("dev-services-spec")).value?.toString()).to.equal("cached")
    } finally {
      cache.close()
    }
    expect(lines.filter((line) => line.includes("development-only"))).to.deep.equal([])
  })

  it("reuses them on the next call: same containers, data kept", async () => {
    const again = await ensureDevServices(localExecutor, planDevServices(config, envName), options)
    expect(again.services.map((s) => [s.service, s.action, s.id])).to.deep.equal(
      first.services.map((s) => [s.service, "reused", s.id]),
    )
    expect(again.reach).to.deep.equal(first.reach)
    const client = pgClient(again.reach.postgres!)
    await client.connect()
    try {
      expect((await client.query("SELECT note FROM kept")).rows).to.deep.equal([
        { note: "written before the second deploy" },
      ])
    } finally {
      await client.end()
    }
  })

  it("starts a stopped one again, and reads its new port", async () => {
    await docker("stop", names.postgres)
    const again = await ensureDevServices(localExecutor, planDevServices(config, envName), options)
    expect(again.services.map((s) => [s.service, s.action, s.id])).to.deep.equal(
      first.services.map((s) => [s.service, s.service === "postgres" ? "started" : "reused", s.id]),
    )
    const published = Number((await docker("port", names.postgres, "5432/tcp")).split(":").at(-1))
    expect(again.reach.postgres).to.deep.equal({ host: "127.0.0.1", port: published })
    const client = pgClient(again.reach.postgres!)
    await client.connect()
    try {
      expect((await client.query("SELECT count(*)::int AS n FROM kept")).rows).to.deep.equal([{ n: 1 }])
    } finally {
      await client.end()
    }
  })

  it("says which volume to reset when the data was made with another password", async () => {
    const port = Number((await docker("port", names.postgres, "5432/tcp")).split(":").at(-1))
    let refused: unknown
    await ensureDevServices(
      localExecutor,
      planDevServices(config, envName, { POSTGRES_PASSWORD: "not-the-first-one" }),
      { ...options, deadlineMs: 20_000 },
    ).catch((error: unknown) => (refused = error))
    expect(refused).to.be.instanceOf(DevServiceError)
    expect((refused as DevServiceError).code).to.equal("dev-service-credentials")
    expect((refused as Error).message).to.equal(
      `postgres (container ${names.postgres}, postgres://webapp@127.0.0.1:${port}/webapp (the app: db:5432)): it answers, but refuses the configured login\n` +
        `  password authentication failed for user "webapp" (28P01)\n` +
        `next: its data in volume ${project}-postgres-data was made with other credentials (the user, database and password of its first start count). ` +
        `Set services.postgres and the password to those, or start afresh: docker rm -f ${names.postgres} && docker volume rm ${project}-postgres-data (this deletes its data)`,
    )
  })

  it("leaves a paused one alone and says how to resume it", async () => {
    await docker("pause", names.memcached)
    try {
      let refused: unknown
      await ensureDevServices(localExecutor, planDevServices(config, envName), options).catch(
        (error: unknown) => (refused = error),
      )
      expect(refused).to.be.instanceOf(DevServiceError)
      expect((refused as DevServiceError).code).to.equal("dev-service-state")
      expect((refused as Error).message).to.equal(
        `memcached (container ${names.memcached}, cache:11211 on ${project}-net): the container is paused, which a deploy does not change\n` +
          `next: docker unpause ${names.memcached}`,
      )
    } finally {
      await docker("unpause", names.memcached)
    }
  })

  it("names the service, container and image when the image is missing, and what to set", async () => {
    await docker("rm", "--force", names.memcached)
    const absent = "deploy-pipeline-test/absent:never"
    const withAbsent: DevServicesConfig = {
      ...config,
      services: { ...config.services, images: { ...TEST_IMAGES, memcached: absent } },
    }
    let refused: unknown
    await ensureDevServices(localExecutor, planDevServices(withAbsent, envName), options).catch(
      (error: unknown) => (refused = error),
    )
    expect(refused).to.be.instanceOf(DevServiceError)
    expect((refused as DevServiceError).code).to.equal("dev-service-image-missing")
    const [head, ...rest] = (refused as Error).message.split("\n")
    expect(head).to.equal(
      `memcached (container ${names.memcached}, image ${absent}): the image is not on the Docker host and \`docker pull --quiet ${absent}\` failed`,
    )
    expect(rest.at(-1)).to.equal(
      `next: pull or build it on that host (docker pull ${absent}), or set services.images.memcached to an image the host has`,
    )
    // Between them, what the engine said about the pull, indented.
    expect(rest.slice(0, -1).length).to.be.greaterThan(0)
    expect(rest.slice(0, -1).every((line) => line.startsWith("  "))).to.equal(true)
  })
})
