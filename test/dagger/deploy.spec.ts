/**
 * The Dagger path of the deploy engine, through the real module entrypoint against the recording
 * engine: the same docker argv the CLI runs, each in a docker-cli container with DOCKER_HOST set,
 * the SSH key as a mounted Secret (its plaintext in no query), pinned known_hosts, a cache buster
 * on every run, and cache "never" registered; production's backup in Postgres client containers
 * (really run here), kept on the Docker host. The ledger is a scratch database on the real Postgres.
 */
import { expect } from "chai"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { join, relative } from "node:path"
import { parse, stringify } from "yaml"
import { IMAGES } from "../../core/constants.js"
import * as docker from "../../core/docker/argv.js"
import { projectNames } from "../../core/deploy/names.js"
import { SHOW_PLAN_COMMAND, SQL_MARKER, sqlmigrateCommand } from "../../core/migrations/show-plan.js"
import { type Chain, call, findCalls } from "../harness/chain.js"
import { runFunction, warmReplica } from "../harness/entrypoint.js"
import { ensureReplica } from "../harness/replica/build-replica.js"
import { type Hook, type RecordingEngine, startRecordingEngine } from "../harness/recording-engine.js"
import { firstOf, serveTree, shippedTree } from "../helpers/dagger.js"
import { EngineError } from "../harness/engine-errors.js"
import { runPostgresLocally } from "../helpers/dagger-postgres.js"
import { createShopDatabase } from "../backup/shop.js"
import { ENVIRONMENTS, ROOT } from "../helpers/paths.js"
import { type ScratchDatabase, createScratchDatabase } from "../helpers/postgres.js"
import { runtimeCommands } from "../../core/docker/haproxy.js"

const CANARY_KEY = "-----BEGIN OPENSSH PRIVATE KEY----- canary-ssh-key-9d2f"
const DIGEST = `sha256:${"ab".repeat(32)}`
const IMAGE = `registry.example.com/acme/webapp@${DIGEST}`
const KNOWN_HOSTS = "remote.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBxcanaryhostkey"
const DIR = "/ci/environments"
const CANARY_PASSWORD = "canary-postgres-password-51b7"

/** Preflight probes the app's cache and broker: the real local ones (the broker's guest password comes from a named secret). */
const LOCAL_SERVICES = {
  memcached: { host: "127.0.0.1", port: 11211 },
  rabbitmq: { host: "127.0.0.1", port: 5672, user: "guest", vhost: "/" },
}
const RABBITMQ_SECRET = "env:DP_TEST_RABBITMQ_PASSWORD"
const isRabbitmqSecret = (chain: Chain): boolean =>
  chain.some((c) => c.field === "secret" && String(c.args.uri).includes("DP_TEST_RABBITMQ_PASSWORD"))
const argvOf = (chain: Chain): string[] =>
  chain.at(-1)?.field === "withExec" ? (chain.at(-1)!.args.args as string[]) : []

/**
 * Secrets, and a Docker host with nothing deployed that answers the deploy's commands: an empty
 * host, a healthy release reporting version abababababab. Not the proof that the commands work
 * (the real-engine specs are): what these specs check is which commands go where, and how.
 */
const fakeDockerHost =
  (password = "unused-with-trust-auth"): Hook =>
  ({ chain, leaf }) => {
    if (leaf.field === "plaintext") return isRabbitmqSecret(chain) ? "guest" : password
    const argv = argvOf(chain)
    if (argv[0] !== "docker") return undefined
    const joined = argv.join(" ")
    const answer = (exitCode: number, stdout = "", stderr = "") =>
      ({ exitCode, stdout, stderr })[leaf.field as "exitCode" | "stdout" | "stderr"]
    if (argv[1] === "version") return answer(0, "20.10.24\n")
    if (joined.includes("{{.Config.User}}")) return answer(0, "10001\n")
    if (argv[1] === "ps") return answer(0, "")
    if (argv[1] === "network" && argv[2] === "inspect") return answer(1, "", "Error: No such network")
    // The compose driver reads each replica's address before it routes to it: running, on the project network.
    if (argv[1] === "container" && argv[2] === "inspect" && joined.includes(".IPAddress")) {
      const names = argv.slice(argv.indexOf("--format") + 2)
      return answer(0, names.map((name, i) => `/${name}\trunning\tblue\t10.0.0.${10 + i}\n`).join(""))
    }
    if (argv[1] === "container" && argv[2] === "inspect") return answer(1, "", "Error: No such container")
    if (joined.includes("/upstreams")) return answer(1, "", "wget: can't connect")
    if (joined.includes("/health/"))
      return answer(
        0,
        JSON.stringify({ status: "healthy", version: "abababababab", timestamp: "2026-11-29T00:00:00Z" }),
        "  HTTP/1.1 200 OK\n",
      )
    // A staging or production deploy reads the pending migrations from the release: Django's answers.
    if (argv.includes("showmigrations")) return answer(0, "[X]  core.0001_initial\n[ ]  core.0002_release_note\n")
    if (joined.includes("sqlmigrate"))
      return answer(
        0,
        `${SQL_MARKER} core.0002_release_note\nBEGIN;\nALTER TABLE "core_release" ADD COLUMN "note" text NULL;\nCOMMIT;\n`,
      )
    return answer(0, "")
  }

describe("Dagger deploy through the module entrypoint", function () {
  this.timeout(120_000)
  let engine: RecordingEngine
  let db: ScratchDatabase

  before(warmReplica(ROOT))
  before(async () => {
    engine = await startRecordingEngine()
    db = await createScratchDatabase("daggerdeploy")
  })
  after(async () => {
    await engine.stop()
    await db.drop()
  })
  beforeEach(() => engine.reset())

  it("deploys a development environment to the Docker engine of --docker-socket, reaching its services as host services", async () => {
    const ledgerDb = await createScratchDatabase("daggerdevsocket")
    const development = {
      tier: "development",
      app: { name: "webapp" },
      health: { interval: "100ms", timeout: "1s", healthy_threshold: 1, start_deadline: "5s", watch: "300ms" },
      // The app's view: names only the app's network resolves. This process can reach none of them.
      // Services the user runs (not managed: under Dagger the deploy does not start its own).
      services: {
        managed: false,
        postgres: { host: "db.internal", port: 5432, user: "postgres", database: ledgerDb.name },
        memcached: { host: "cache.internal", port: 11211 },
        rabbitmq: { host: "queue.internal", port: 5672, user: "guest", vhost: "/" },
      },
      ledger: { database: ledgerDb.name },
      notify: { enabled: false },
      secrets: { SECRET_KEY: "env:DJANGO_SECRET_KEY", DEBUG: "env:DJANGO_DEBUG", RABBITMQ_PASSWORD: RABBITMQ_SECRET },
    }
    const served = serveTree({
      [`${DIR}/base.yaml`]: readFileSync(join(ENVIRONMENTS, "base.yaml"), "utf8"),
      [`${DIR}/development.yaml`]: stringify(development),
    })
    const hostService = (port: number) => [
      call("host"),
      call("service", { ports: [{ frontend: port, backend: port }] }),
    ]
    // The engine's endpoint for a host service: here, this machine's real service on that port.
    const endpoints: Hook = ({ chain, leaf }) => {
      if (leaf.field !== "endpoint") return undefined
      const ports = chain.find((c) => c.field === "service")?.args.ports as { backend: number }[] | undefined
      return ports ? `127.0.0.1:${ports[0]!.backend}` : undefined
    }
    engine.hook = firstOf(served, endpoints, fakeDockerHost())
    const socket = engine.makeId([call("host"), call("unixSocket", { path: "/var/run/docker.sock" })])
    const environments = engine.makeId([call("host"), call("directory", { path: DIR })])
    const [postgres, memcached, rabbitmq] = [5432, 11211, 5672].map((port) => engine.makeId(hostService(port)))
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "deploy",
      constructorArgs: { environments },
      args: { env: "development", image: IMAGE, dockerSocket: socket, postgres, memcached, rabbitmq },
    })
    expect(result.exitCode, `${result.stderr}\n${result.error?.message ?? ""}`).to.equal(0)
    expect(result.value).to.match(/^deploy #1 succeeded: .* is live in development \(blue\) \(\d+\.\d s\)$/)
    expect(result.stdout + result.stderr).to.contain(
      "postgres: the app uses db.internal:5432; this deploy reaches it at 127.0.0.1:5432",
    )

    const runs = engine
      .evaluationsOf("exitCode")
      .filter((e) => argvOf(e.chain)[0] === "docker")
      .map((e) => e.chain)
    expect(runs.length).to.be.above(5)
    for (const chain of runs) {
      expect(chain.slice(0, 4)).to.deep.equal([
        call("container"),
        call("from", { address: IMAGES.dockerCli }),
        call("withEnvVariable", { name: "DOCKER_HOST", value: "unix:///var/run/docker.sock" }),
        call("withUnixSocket", {
          path: "/var/run/docker.sock",
          source: { $ref: socket, chain: [call("host"), call("unixSocket", { path: "/var/run/docker.sock" })] },
        }),
      ])
    }
    // The app's containers keep the app's view.
    expect(
      argvOf(runs.find((chain) => argvOf(chain)[1] === "run" && argvOf(chain).includes("--network-alias"))!),
    ).to.include.members([
      "POSTGRES_HOST=db.internal",
      "MEMCACHED_LOCATION=cache.internal:11211",
      "RABBITMQ_HOST=queue.internal",
    ])
    // The ledger is the real one, reached at the host service's endpoint.
    try {
      const ledger = await ledgerDb.connect()
      expect((await ledger.query("SELECT env, action, result FROM deploy_pipeline.deploys")).rows).to.deep.equal([
        { env: "development", action: "deploy", result: "succeeded" },
      ])
    } finally {
      await ledgerDb.drop()
    }
    expect(engine.evaluationsOf("start").map((e) => e.chain)).to.have.deep.members([
      hostService(5432),
      hostService(11211),
      hostService(5672),
    ])
  })

  it("a unix:// Docker host without --docker-socket is refused with what to pass", async () => {
    const development = {
      tier: "development",
      app: { name: "webapp" },
      services: { managed: false },
      ledger: { database: db.name },
      notify: { enabled: false },
      secrets: { SECRET_KEY: "env:DJANGO_SECRET_KEY", DEBUG: "env:DJANGO_DEBUG" },
    }
    engine.hook = firstOf(
      serveTree({
        [`${DIR}/base.yaml`]: readFileSync(join(ENVIRONMENTS, "base.yaml"), "utf8"),
        [`${DIR}/development.yaml`]: stringify(development),
      }),
      fakeDockerHost(),
    )
    const environments = engine.makeId([call("host"), call("directory", { path: DIR })])
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "deploy",
      constructorArgs: { environments },
      args: { env: "development", image: IMAGE },
    })
    expect(result.exitCode).to.equal(1)
    expect(result.error?.message).to.contain(
      "the Docker host is unix:///var/run/docker.sock, a socket on the machine that runs dagger, which the module's containers cannot see; pass --docker-socket /var/run/docker.sock",
    )
  })

  it("refuses a staging deploy without --approve before it reads any secret (an unset one would hide the refusal)", async () => {
    const served = serveTree(shippedTree())
    engine.hook = (event) => {
      const answer = served(event)
      if (answer !== undefined) return answer
      // What a real engine answers for an env: secret whose variable is unset.
      if (event.leaf.field === "plaintext")
        throw new EngineError("failed to get secret: secret env var not found: POSTGRES_PASSWORD")
      return undefined
    }
    const result = await runFunction(engine, { moduleRoot: ROOT, fn: "deploy", args: { env: "staging", image: IMAGE } })
    expect(result.exitCode).to.equal(1)
    expect(result.error?.message).to.equal(
      `staging deploys need approval: pass --approve staging@${"ab".repeat(6)} (the environment and the first 12 hex of the digest you are deploying); nothing was changed`,
    )
    expect(engine.evaluationsOf("plaintext")).to.deep.equal([])
  })

  it("runs the deploy's docker argv in docker-cli containers on the ssh:// host, with the key as a Secret and every run uncached", async () => {
    const remote = {
      tier: "testing",
      app: { name: "webapp" },
      deploy: {
        docker_host: "ssh://deploy@remote.example.com",
        ssh_key: "env:DEPLOY_SSH_KEY",
        ssh_known_hosts: KNOWN_HOSTS,
      },
      health: { interval: "100ms", timeout: "1s", healthy_threshold: 1, start_deadline: "5s", watch: "300ms" },
      services: { postgres: { host: "127.0.0.1", port: 5432, user: "postgres", database: db.name }, ...LOCAL_SERVICES },
      ledger: { database: db.name },
      notify: { enabled: false },
      secrets: {
        SECRET_KEY: "env:DJANGO_SECRET_KEY",
        POSTGRES_PASSWORD: "file:/run/secrets/pg",
        RABBITMQ_PASSWORD: RABBITMQ_SECRET,
      },
    }
    const tree = {
      [`${DIR}/base.yaml`]: readFileSync(join(ENVIRONMENTS, "base.yaml"), "utf8"),
      [`${DIR}/remote.yaml`]: stringify(remote),
    }
    const served = serveTree(tree)
    engine.hook = firstOf(served, fakeDockerHost())
    const sshKey = engine.makeId([call("setSecret", { name: "deploy-key", plaintext: CANARY_KEY })])
    const environments = engine.makeId([call("host"), call("directory", { path: DIR })])
    const result = await runFunction(engine, {
      moduleRoot: ROOT,
      fn: "deploy",
      constructorArgs: { environments },
      args: { env: "remote", image: IMAGE, sshKey },
    })
    expect(result.exitCode, `${result.stderr}\n${result.error?.message ?? ""}`).to.equal(0)
    expect(result.value).to.match(
      /^deploy #1 succeeded: registry\.example\.com\/acme\/webapp@sha256:(ab){32} is live in remote \(blue\) \(\d+\.\d s\)$|^deploy #1 succeeded: sha256:(ab){32} is live in remote \(blue\) \(\d+\.\d s\)$/,
    )

    const runs = engine
      .evaluationsOf("exitCode")
      .filter((e) => argvOf(e.chain)[0] === "docker")
      .map((e) => e.chain)
    const argvs = runs.map(argvOf)
    expect(argvs).to.deep.include(docker.dockerVersion())
    // One switch through HAProxy's runtime API inside the proxy (a first deploy has no fallback to take out at retire).
    const runtime = runtimeCommands("webapp-remote-proxy")
    expect(argvs.filter((a) => JSON.stringify(a) === JSON.stringify(runtime)).length).to.equal(1)
    expect(argvs).to.deep.include(docker.imageId(IMAGE))
    expect(argvs.find((a) => a[1] === "run" && a.includes("--network-alias"))).to.deep.equal(
      docker.runWeb({
        name: "webapp-remote-web-abababababab-1",
        network: "webapp-remote-net",
        alias: "webapp-remote-web-blue",
        labels: {
          "deploy-pipeline.project": "webapp-remote",
          "deploy-pipeline.role": "web",
          "deploy-pipeline.digest": DIGEST,
          "deploy-pipeline.version": "abababababab",
          "deploy-pipeline.colour": "blue",
          "deploy-pipeline.deploy-id": "1",
        },
        image: IMAGE,
        env: {
          DJANGO_SETTINGS_MODULE: "config.settings.production",
          APP_VERSION: "abababababab",
          PORT: "8000",
          LOG_LEVEL: "INFO",
          DEBUG: "false",
          POSTGRES_HOST: "127.0.0.1",
          POSTGRES_PORT: "5432",
          POSTGRES_DB: db.name,
          POSTGRES_USER: "postgres",
          MEMCACHED_LOCATION: "127.0.0.1:11211",
          RABBITMQ_HOST: "127.0.0.1",
          RABBITMQ_PORT: "5672",
          RABBITMQ_VHOST: "/",
          RABBITMQ_USER: "guest",
        },
        secretNames: ["SECRET_KEY", "POSTGRES_PASSWORD", "RABBITMQ_PASSWORD"],
        runtime: {
          debug: false,
          log_level: "INFO",
          replicas: 1,
          resources: { limits: { cpus: 1, memory: "512M" }, reservations: { cpus: 0.25, memory: "256M" } },
          restart_policy: { condition: "on-failure", delay: 5000, max_attempts: 3, window: 120_000 },
          update_config: {
            parallelism: 1,
            delay: 10_000,
            order: "start-first",
            failure_action: "rollback",
            monitor: 30_000,
          },
        },
        security: {
          run_as_non_root: true,
          read_only_root_fs: false,
          no_new_privileges: true,
          scan: { severity: ["CRITICAL", "HIGH"], ignore_unfixed: true },
        },
      }),
    )

    for (const chain of runs) {
      expect(chain.slice(0, 3)).to.deep.equal([
        call("container"),
        call("from", { address: IMAGES.dockerCli }),
        call("withEnvVariable", { name: "DOCKER_HOST", value: "ssh://deploy@remote.example.com" }),
      ])
      const mounted = findCalls(chain, "withMountedSecret").find((c) => c.args.path === "/root/.ssh/id_deploy")!
      expect(mounted.args.source).to.deep.equal({
        $ref: sshKey,
        chain: [call("setSecret", { name: "deploy-key", plaintext: CANARY_KEY })],
      })
      expect(
        findCalls(chain, "withNewFile").find((c) => c.args.path === "/root/.ssh/known_hosts")!.args.contents,
      ).to.equal(`${KNOWN_HOSTS}\n`)
    }
    const busters = runs.map((chain) =>
      findCalls(chain, "withEnvVariable")
        .filter((c) => c.args.name === "DEPLOY_PIPELINE_RUN")
        .map((c) => c.args.value),
    )
    expect(busters.every((b) => b.length === 1)).to.equal(true)
    expect(new Set(busters.flat()).size).to.equal(runs.length)

    const web = runs.find((chain) => argvOf(chain)[1] === "run" && argvOf(chain).includes("--network-alias"))!
    expect(
      findCalls(web, "withSecretVariable").map((c) => [c.args.name, (c.args.secret as { chain: Chain }).chain]),
    ).to.deep.equal([
      ["SECRET_KEY", [call("secret", { uri: "env://DJANGO_SECRET_KEY" })]],
      ["POSTGRES_PASSWORD", [call("secret", { uri: "file:///run/secrets/pg" })]],
      ["RABBITMQ_PASSWORD", [call("secret", { uri: "env://DP_TEST_RABBITMQ_PASSWORD" })]],
    ])
    expect(engine.rawQueries.filter((q) => q.includes("canary-ssh-key"))).to.deep.equal([])
  })

  it("takes production's verified backup in Postgres client containers and keeps it on the Docker host, the password only ever a Secret", async () => {
    engine.reset()
    const { db: shop } = await createShopDatabase("daggerprod")
    try {
      const production = parse(readFileSync(join(ENVIRONMENTS, "production.yaml"), "utf8")) as Record<string, unknown>
      const overrides = {
        health: { interval: "100ms", timeout: "1s", healthy_threshold: 1, start_deadline: "5s", watch: "300ms" },
        runtime: { replicas: 1 },
        services: {
          postgres: { host: "127.0.0.1", port: 5432, user: "postgres", database: shop.name },
          ...LOCAL_SERVICES,
        },
        ledger: { database: shop.name },
        notify: { enabled: false },
        secrets: { ...(production.secrets as object), RABBITMQ_PASSWORD: RABBITMQ_SECRET },
      }
      const tree = {
        [`${DIR}/base.yaml`]: readFileSync(join(ENVIRONMENTS, "base.yaml"), "utf8"),
        [`${DIR}/production.yaml`]: stringify({
          ...production,
          ...overrides,
          runtime: { ...(production.runtime as object), replicas: 1 },
        }),
      }
      const served = serveTree(tree)
      const postgres = runPostgresLocally()
      engine.hook = firstOf(served, postgres, fakeDockerHost(CANARY_PASSWORD))
      const environments = engine.makeId([call("host"), call("directory", { path: DIR })])
      const result = await runFunction(engine, {
        moduleRoot: ROOT,
        fn: "deploy",
        constructorArgs: { environments },
        args: { env: "production", image: IMAGE, approve: "production@abababababab" },
      })
      expect(result.exitCode, `${result.stderr}\n${result.error?.message ?? ""}`).to.equal(0)
      expect(result.value).to.match(/^deploy #1 succeeded: .* is live in production \(blue\) \(\d+\.\d s\)$/)

      const client = await shop.connect()
      const { rows } = await client.query<{
        backup_id: string
        backup_location: string
        phases: { step: string; detail: string }[]
      }>("SELECT backup_id, backup_location, phases FROM deploy_pipeline.deploys")
      expect(rows).to.have.length(1)
      // Production's first deploy: the pending migrations are read and reported, and not gated, since no release is live.
      expect(rows[0]!.phases.find((p) => p.step === "migrate")!.detail).to.equal(
        "checked: read 1 pending migration from the release (showmigrations --plan, then sqlmigrate in a container of abababababab): core.0002_release_note; not gated: no release is live in production; nothing to apply",
      )
      const id = rows[0]!.backup_id
      expect(id).to.match(/^production-\d{8}T\d{6}Z-[0-9a-f]{12}$/)
      expect(rows[0]!.backup_location).to.equal(`docker-host:/var/backups/deploy-pipeline/production/${id}.dump`)

      const pgRuns = [
        ...new Map(
          engine
            .evaluationsOf("exitCode")
            .filter((e) => e.chain[1]?.args.address === IMAGES.postgres)
            .map((e) => [JSON.stringify(e.chain), e.chain]),
        ).values(),
      ]
      expect(pgRuns.map((chain) => argvOf(chain).slice(0, 2))).to.deep.equal([
        ["pg_dump", "--version"],
        ["pg_dump", "-Fc"],
        ["pg_restore", "--list"],
        ["pg_restore", "--exit-on-error"],
      ])
      const password = [call("secret", { uri: "file:///run/secrets/postgres_password" })]
      expect(
        findCalls(pgRuns[1]!, "withSecretVariable").map((c) => [
          c.args.name,
          (c.args.secret as { chain: Chain }).chain,
        ]),
      ).to.deep.equal([["PGPASSWORD", password]])
      // Staged under the module's working directory: the module path in the engine's container.
      const workdir = (await ensureReplica(ROOT)).moduleDir
      const dump = argvOf(pgRuns[2]!)[2]!
      expect(dump).to.match(new RegExp(`^${workdir}/\\.deploy-pipeline-backups/[0-9a-f-]{36}/production/${id}\\.dump$`))
      const staged = relative(workdir, dump)
      for (const run of pgRuns.slice(2))
        expect(
          findCalls(run, "withMountedFile").map((c) => [c.args.path, (c.args.source as { chain: Chain }).chain]),
        ).to.deep.equal([[dump, [call("currentModule"), call("workdirFile", { path: staged })]]])

      const docker = engine
        .evaluationsOf("exitCode")
        .filter((e) => argvOf(e.chain)[0] === "docker")
        .map((e) => e.chain)
      const copies = docker.filter((chain) =>
        argvOf(chain).some(
          (a) => a === `deploy-pipeline-backup-${id}` || a.startsWith(`deploy-pipeline-backup-${id}:`),
        ),
      )
      expect(copies.map(argvOf).map((a) => a.slice(0, 3))).to.deep.equal([
        ["docker", "create", "--name"],
        ["docker", "cp", dump],
        ["docker", "cp", dump.replace(/\.dump$/, ".json")],
        ["docker", "rm", "--force"],
      ])
      for (const chain of copies)
        expect(chain.slice(0, 3)).to.deep.equal([
          call("container"),
          call("from", { address: IMAGES.dockerCli }),
          call("withEnvVariable", { name: "DOCKER_HOST", value: "ssh://deploy@prod-1.example.com" }),
        ])
      expect(findCalls(copies[1]!, "withMountedFile").map((c) => c.args.path)).to.deep.equal([dump])
      const argvs = docker.map(argvOf)
      // Without --migrations: showmigrations, then sqlmigrate, in containers of the release on the project network (created for the read and removed again), before the backup.
      const { network, project } = projectNames("webapp", "production")
      const reads = argvs.filter((a) => a[1] === "run" && a.includes("deploy-pipeline.role=read-migrations"))
      expect(reads.map((a) => a.slice(a.indexOf(IMAGE) + 1))).to.deep.equal([
        [...SHOW_PLAN_COMMAND],
        sqlmigrateCommand([{ app: "core", name: "0002_release_note" }]),
      ])
      for (const read of reads)
        expect(read.slice(0, 7)).to.deep.equal([
          "docker",
          "run",
          "--rm",
          "--name",
          `${project}-read-migrations-abababababab`,
          "--network",
          network,
        ])
      const at = (match: (a: string[]) => boolean) => argvs.findIndex(match)
      const order = [
        at((a) => a[1] === "network" && a[2] === "create"),
        at((a) => a === reads[0]),
        at((a) => a === reads[1]),
        at((a) => a[1] === "network" && a[2] === "rm"),
        at((a) => a[1] === "create"),
      ]
      expect(
        order.every((n) => n >= 0),
        `${order}`,
      ).to.equal(true)
      expect(order).to.deep.equal([...order].sort((a, b) => a - b))
      expect(argvs.findIndex((a) => a[1] === "create" && a.includes(`deploy-pipeline-backup-${id}`))).to.be.below(
        argvs.findIndex((a) => a[1] === "run" && a.includes("--network-alias")),
      )

      expect(engine.rawQueries.filter((q) => q.includes(CANARY_PASSWORD))).to.deep.equal([])
      // The run's staging folder, and its emptied parent, are gone.
      expect(existsSync(join(workdir, ".deploy-pipeline-backups"))).to.equal(false)
    } finally {
      rmSync(join((await ensureReplica(ROOT)).moduleDir, ".deploy-pipeline-backups"), { recursive: true, force: true })
      await shop.drop()
    }
  })
})
