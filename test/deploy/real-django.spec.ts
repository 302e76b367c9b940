/**
 * The reference Django app (test/fixtures/django-app), deployed for real by the deploy engine on
 * this machine's Docker engine: its own Dockerfile's production target on Debian's Python
 * (test/fixtures/images/django-app.sh), gunicorn as UID 10001, the production settings, the
 * deploy's migrate step, and /health/ checking Postgres, Memcached and RabbitMQ for real.
 *
 *   v1     the app as shipped
 *   v2     v1 plus a migration (AddField, nullable) that v2's deploy applies
 *   v3     v2 plus a migration that rewrites core_release (AddField with a volatile db_default),
 *          deployed to staging without --migrations: the deploy reads it from the release and gates it
 *   v4     v2 with its cache misconfigured (a port nothing listens on): /health/ answers 503
 *   v5     v2 plus a migration that widens core_release.version (varchar(64) → varchar(128)),
 *          deployed to staging without an override: the gate reads the database's schema and passes it
 *   hosts  v1 with /health/ behind Django's host check, as most apps have it
 *
 * The services listen on 127.0.0.1 only, which no container reaches; the app reaches them through
 * relays on the Docker bridge's gateway (helpers/service-relay.ts), which serve containers only:
 * the relays' address is one this host cannot use, as a network alias would be. So each
 * environment says both views (helpers/real-app-env.ts): services.<name> is the relay, for the
 * app's containers, and services.<name>.deployer is 127.0.0.1, for the deployer (ledger, lock,
 * preflight, the migrations gate's schema read, notifications); with either alone for both, the
 * deploy fails. The production describe's backup runs pg_dump on this host with services.postgres,
 * so it has relays of its own that this host may use too. Load goes through the proxy with a new connection per request
 * and no retry, so every reset or refused connection counts as a failed request. (Kept-open
 * client connections across switches, which HAProxy's runtime API never closes, are proven by
 * engine.spec.ts and swarm.spec.ts with the busybox app; when the proxy was Caddy, each reload
 * closed them: 3 of 3,146 requests reset during v1→v2 here, 6 of 3,008 during the rollback.)
 */
import { expect } from "chai"
import { execFile, execFileSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Environment } from "../../core/config/load.js"
import { deploy } from "../../core/deploy/deploy.js"
import { DeployError } from "../../core/deploy/errors.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { LABEL, projectNames } from "../../core/deploy/names.js"
import { rollback } from "../../core/deploy/rollback.js"
import { fetchFromProxy, parseFetch } from "../../core/docker/proxy-fetch.js"
import { cli, cliProcessAsync } from "../helpers/cli.js"
import { PROTECTED_TIER_SECRETS } from "../helpers/deploy-env.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { type AppImage, type AppVariant, buildAppImage } from "../helpers/django-images.js"
import { MIGRATION, UNSAFE, V1, V2, V3, V5, WIDEN } from "../helpers/django-variants.js"
import { type LoadResult, type RequestRecord, failures, retried, underLoad } from "../helpers/load.js"
import { PG, connectTo } from "../helpers/postgres.js"
import { exportRabbitmqUrl, realAppOverrides } from "../helpers/real-app-env.js"
import { type ServiceRelay, relayServices } from "../helpers/service-relay.js"

const V4: AppVariant = {
  tag: "real-v4",
  version: "4.0.0",
  files: {
    ...V2.files,
    "config/settings/production.py": (text) =>
      `${text}\n# v4, a broken release: the cache points at a port nothing listens on.\nCACHES["default"]["LOCATION"] = ["127.0.0.1:1"]\n`,
  },
}
const HOSTS: AppVariant = {
  tag: "real-hosts",
  version: "1.0.0-hosts",
  files: {
    "config/settings/production.py": (text) =>
      `${text}\n# As most Django apps have it: /health/ behind the host check like every other URL.\nMIDDLEWARE = [name for name in MIDDLEWARE if name != "core.middleware.HealthCheckMiddleware"]\n`,
  },
}

/** Where this machine's services listen (on 127.0.0.1). */
const SERVICE_PORTS = { postgres: PG.port, memcached: 11211, rabbitmq: 5672 }
/** The hosts the app serves: what a real deploy sets, and not the name of any container. */
const ALLOWED_HOSTS = "localhost,127.0.0.1"
/** Plain-HTTP serving behind a proxy that terminates nothing: the production settings' HTTPS defaults off. */
const PLAIN_HTTP = { SECURE_SSL_REDIRECT: "false", SESSION_COOKIE_SECURE: "false", CSRF_COOKIE_SECURE: "false" }
/** At least this many requests, each on a new connection, none retried. */
const LOAD = { requests: 1_000, concurrency: 8, deadlineMs: 150_000, keepAlive: false, retryConnectionFailures: false }

/** The version the home page names ("Version <strong>2.0.0</strong>"), or what came instead. */
const servedVersion = (record: RequestRecord): string =>
  /Version <strong>([^<]+)<\/strong>/.exec(record.body ?? "")?.[1] ?? `${record.status ?? record.error}`
/** Every request that did not end in 200, and (never expected, retries being off) any retried one. */
const failed = (load: LoadResult) =>
  [...failures(load.records), ...retried(load.records)].map((r) => `#${r.index}: ${r.error ?? `HTTP ${r.status}`}`)

function describeLoad(what: string, load: LoadResult): string {
  const served = [...new Set(load.records.map(servedVersion))].join("/")
  return `      ${what}: ${load.records.length} requests in ${(load.durationMs / 1000).toFixed(1)} s, ${failures(load.records).length} failed, ${retried(load.records).length} retried, served ${served}`
}

async function query<T>(database: string, sql: string): Promise<T[]> {
  const client = await connectTo(database)
  try {
    return (await client.query(sql)).rows as T[]
  } finally {
    await client.end()
  }
}

const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8" }).trim()

/** The running web containers of an environment's project, by the version label. */
function webContainers(env: Environment): { name: string; version: string }[] {
  const { project } = projectNames(env.config.app.name, env.name)
  const lines = docker(
    "ps",
    "--filter",
    `label=${LABEL.project}=${project}`,
    "--filter",
    `label=${LABEL.role}=web`,
    "--format",
    `{{.Names}}\t{{.Label "${LABEL.version}"}}`,
  )
  return lines ? lines.split("\n").map((line) => ({ name: line.split("\t")[0]!, version: line.split("\t")[1]! })) : []
}

describe("the reference Django app deployed for real (gunicorn, Postgres, Memcached, RabbitMQ)", function () {
  this.timeout(240_000)
  let relay: ServiceRelay
  let images: Record<"v1" | "v2" | "v3" | "v4" | "v5" | "hosts", AppImage>

  before(async function () {
    this.timeout(900_000) // a cold build of the base image takes minutes; a cached one, seconds
    relay = await relayServices(SERVICE_PORTS, { containersOnly: true })
    exportRabbitmqUrl(relay)
    const v1 = await buildAppImage(V1) // first alone: the base image and the wheels, once
    const [v2, v3, v4, v5, hosts] = await Promise.all([
      buildAppImage(V2),
      buildAppImage(V3),
      buildAppImage(V4),
      buildAppImage(V5),
      buildAppImage(HOSTS),
    ])
    images = { v1, v2, v3, v4, v5, hosts }
    console.log(
      `      images: ${Object.entries(images)
        .map(([name, image]) => `${name} ${image.seconds.toFixed(1)} s`)
        .join(", ")}`,
    )
  })
  after(() => relay?.close())
  /** A protected tier's secrets, with the relayed broker URL the app reads. */
  const protectedTier = (relayed = relay) => ({
    ...realAppOverrides(relayed),
    secrets: {
      ...PROTECTED_TIER_SECRETS,
      POSTGRES_PASSWORD: "env:DP_TEST_POSTGRES_PASSWORD",
      RABBITMQ_URL: "env:DP_REAL_RABBITMQ_URL",
    },
  })
  /** The gate's source for the schema: Postgres as the deployer reaches it, which services.postgres.deployer gives. */
  /** The --approve a protected tier requires: the environment's name and the image's first 12 hex. */
  const approve = (env: string, image: AppImage) => `${env}@${image.id.slice(7, 19)}`
  const deployerSchema = (db: string) =>
    `the schema of ${db} at ${PG.host}:${PG.port} (deployer view, from services.postgres.deployer)`

  describe("v1, v2 with a migration under load, a v4 that fails its health, rollback under load", () => {
    let f: DeployFixture
    const proxy = () => `http://127.0.0.1:${f.env.config.deploy.proxy.http_port}`
    const load = <T>(work: () => Promise<T>) => underLoad({ url: `${proxy()}/`, ...LOAD }, work)

    before(async () => {
      f = await deployFixture("realdj", {
        name: "real",
        tier: "testing",
        overrides: realAppOverrides(relay, { ALLOWED_HOSTS, ...PLAIN_HTTP }),
      })
    })
    after(() => f?.cleanup())

    it("plan says which view of each service each part uses: the deployer 127.0.0.1, the app's containers the relays", async () => {
      const result = await cli("plan", "--dir", f.writeEnvironments(), "--env", "real")
      expect(result.code, result.stderr).to.equal(0)
      const lines = result.stdout.split("\n")
      const relayed = (name: string) => `${relay.host}:${relay.services[name]!.relayPort}`
      expect(
        lines.slice(
          lines.indexOf("Services (who reaches each, where):"),
          lines.indexOf("Steps (nothing has been changed):"),
        ),
      ).to.deep.equal([
        "Services (who reaches each, where):",
        `  ledger, preflight, migrations gate: postgres at ${PG.host}:${PG.port} (deployer view, from services.postgres.deployer); app containers: postgres at ${relayed("postgres")}`,
        `  preflight: memcached at 127.0.0.1:11211 (deployer view, from services.memcached.deployer); app containers: memcached at ${relayed("memcached")}`,
        `  preflight, notifications: rabbitmq at 127.0.0.1:5672 (deployer view, from services.rabbitmq.deployer); app containers: rabbitmq at ${relayed("rabbitmq")}`,
      ])
    })

    it("v1: the migrate step applies the app's migrations; gunicorn runs as 10001; /health/ checks all three services", async () => {
      const outcome = await deploy(
        { env: f.env, image: images.v1.id, version: "v1", requestedBy: "spec" },
        await f.engine(),
      )
      expect(outcome.result).to.equal("succeeded")
      expect(outcome.warnings).to.deep.equal([])
      const [record] = await readHistory(f.env, await f.engine(), 1)
      expect(record!.migrations.map((m) => `${m.app}.${m.name}`)).to.include.members([
        "core.0001_initial",
        "auth.0001_initial",
        "contenttypes.0001_initial",
        "sessions.0001_initial",
      ])
      expect(
        await query(f.db.name, "SELECT app, name FROM django_migrations WHERE app = 'core' ORDER BY id"),
      ).to.deep.equal([{ app: "core", name: "0001_initial" }])

      const [web] = webContainers(f.env)
      expect(web!.version).to.equal("v1")
      expect(docker("exec", web!.name, "id", "-u")).to.equal("10001")
      // The app's view is services.* (the relays); the deployer's ledger, preflight and notifications went to 127.0.0.1.
      const settings = docker("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", web!.name).split("\n")
      expect(
        settings.filter((line) => /^(POSTGRES_HOST|POSTGRES_PORT|MEMCACHED_LOCATION)=/.test(line)).sort(),
      ).to.deep.equal([
        `MEMCACHED_LOCATION=${relay.host}:${relay.services.memcached!.relayPort}`,
        `POSTGRES_HOST=${relay.host}`,
        `POSTGRES_PORT=${relay.services.postgres!.relayPort}`,
      ])
      const health = await fetch(`${proxy()}/health/`)
      expect(health.status).to.equal(200)
      expect(await health.json()).to.deep.include({
        status: "healthy",
        version: "v1",
        checks: { database: "ok", cache: "ok", queue: "ok" },
      })
      const home = await fetch(`${proxy()}/`)
      expect(/Version <strong>([^<]+)<\/strong>/.exec(await home.text())?.[1]).to.equal("v1")
    })

    it("v2 under load: 0 failed of at least 1,000 requests; its migration is applied, in django_migrations and the ledger", async () => {
      const engine = await f.engine()
      const { value: outcome, load: result } = await load(() =>
        deploy({ env: f.env, image: images.v2.id, version: "v2", requestedBy: "spec" }, engine),
      )
      console.log(describeLoad("load during the v1→v2 deploy", result))
      expect(outcome.result).to.equal("succeeded")
      expect(result.records.length).to.be.at.least(1_000)
      expect(failed(result)).to.deep.equal([])
      expect([...new Set(result.records.map(servedVersion))].sort()).to.deep.equal(["v1", "v2"])
      expect(servedVersion(result.records.at(-1)!)).to.equal("v2")

      const rows = await query<{ app: string; name: string; applied: Date }>(
        f.db.name,
        `SELECT app, name, applied FROM django_migrations WHERE app = 'core' AND name = '${MIGRATION}'`,
      )
      expect(rows.map((r) => `${r.app}.${r.name}`)).to.deep.equal([`core.${MIGRATION}`])
      console.log(`      django_migrations: core.${MIGRATION} applied ${rows[0]!.applied.toISOString()}`)
      const [record] = await readHistory(f.env, await f.engine(), 1)
      expect(record!.migrations).to.deep.equal([{ app: "core", name: MIGRATION }])
      expect(record!.phases.find((p) => p.step === "migrate")!.detail).to.equal(
        `checked: no pending migration SQL given; applied 1: core.${MIGRATION}`,
      )
      expect(
        await query(
          f.db.name,
          "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = 'core_release' AND column_name = 'deployed_at'",
        ),
      ).to.deep.equal([{ column_name: "deployed_at", is_nullable: "YES" }])
    })

    it("v4, whose /health/ reports the cache down, never gets traffic: v2 serves on under load, 0 failed", async () => {
      const env = { ...f.env, config: { ...f.env.config, health: { ...f.env.config.health, start_deadline: 8_000 } } }
      const engine = await f.engine(env)
      const { value: error, load: result } = await load(() =>
        deploy({ env, image: images.v4.id, version: "v4", requestedBy: "spec" }, engine).then(
          () => null,
          (e: unknown) => e,
        ),
      )
      console.log(describeLoad("load during the refused v4 deploy", result))
      expect(error).to.be.instanceOf(DeployError)
      expect((error as DeployError).code).to.equal("health-gate")
      const message = (error as Error).message
      expect(message).to.match(
        /^the new release never became healthy, so it got no traffic; the old release keeps serving\n/,
      )
      // busybox wget in the proxy keeps no body of an error status, so the 503's JSON (which names the cache) is not in the message.
      expect(message).to.match(
        /\n {2}#\d+ \+\d+(\.\d+)?s 503 \d+ms: expected status 200, got 503\nnext: the app failed or reports a failing dependency: its body and logs \(docker logs\) say which$/,
      )
      expect(failed(result)).to.deep.equal([])
      expect(new Set(result.records.map(servedVersion))).to.deep.equal(new Set(["v2"]))
      expect(webContainers(f.env).map((c) => c.version)).to.deep.equal(["v2"])
      // Docker's own HEALTHCHECK (docker/healthcheck.py, every 10 s) agrees about v2 by now.
      expect(docker("inspect", "--format", "{{.State.Health.Status}}", webContainers(f.env)[0]!.name)).to.equal(
        "healthy",
      )
    })

    it("rollback to v1 under load: 0 failed; v1 serves on the migrated schema", async () => {
      const engine = await f.engine()
      const { value: outcome, load: result } = await load(() => rollback({ env: f.env, requestedBy: "spec" }, engine))
      console.log(
        describeLoad(
          `load during the rollback to v1 (${outcome.fast ? "kept container restarted" : "booted again"})`,
          result,
        ),
      )
      expect(outcome.release.digest).to.equal(images.v1.id)
      expect(failed(result)).to.deep.equal([])
      expect([...new Set(result.records.map(servedVersion))].sort()).to.deep.equal(["v1", "v2"])
      expect(servedVersion(result.records.at(-1)!)).to.equal("v1")
      expect((await readHistory(f.env, await f.engine(), 4)).map((r) => [r.action, r.result])).to.deep.equal([
        ["rollback", "succeeded"],
        ["deploy", "failed"],
        ["deploy", "succeeded"],
        ["deploy", "succeeded"],
      ])
    })
  })

  describe("the gate's Host header (health.host) with ALLOWED_HOSTS=localhost,127.0.0.1", () => {
    let f: DeployFixture
    before(async () => {
      f = await deployFixture("realhost", {
        name: "hosts",
        tier: "testing",
        overrides: realAppOverrides(relay, { ALLOWED_HOSTS, ...PLAIN_HTTP }),
      })
    })
    after(() => f?.cleanup())

    it("a Host the app does not allow fails the gate with Django's 400, naming the Host and health.host", async () => {
      const env = {
        ...f.env,
        config: { ...f.env.config, health: { ...f.env.config.health, host: "www.example.com", start_deadline: 4_000 } },
      }
      const error = await deploy(
        { env, image: images.hosts.id, version: "hosts", requestedBy: "spec" },
        await f.engine(env),
      ).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).to.be.instanceOf(DeployError)
      const message = (error as Error).message
      expect(message).to.match(
        /health gate failed: GET http:\/\/\S+-web-[0-9a-f]{12}-1:8000\/health\/ \(Host: www\.example\.com\) from \S+-proxy did not pass/,
      )
      expect(message).to.match(/ 400 \d+ms: expected status 200, got 400\n/)
      expect(message.split("\n").at(-1)).to.equal(
        "next: Django answers 400 when the Host header is not in ALLOWED_HOSTS: set health.host to a name ALLOWED_HOSTS lists (the probe sent the Host shown above)",
      )
    })

    it("the default Host (localhost) passes the gate; the container's own name, which the gate sent before, gets 400", async () => {
      const outcome = await deploy(
        { env: f.env, image: images.hosts.id, version: "hosts", requestedBy: "spec" },
        await f.engine(),
      )
      expect(outcome.result).to.equal("succeeded")
      const [record] = await readHistory(f.env, await f.engine(), 1)
      expect(record!.phases.find((p) => p.step === "health-gate")!.detail).to.match(
        /^1 replica\(s\) passed 2 checks in a row/,
      )
      const [web] = webContainers(f.env)
      const { proxy } = projectNames(f.env.config.app.name, f.env.name)
      // The gate's own argv, run here (asynchronously: the relays in this process must keep serving the app's checks).
      const probe = async (host?: string) => {
        const [command, ...args] = fetchFromProxy(proxy, `http://${web!.name}:8000/health/`, 5, host)
        const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) =>
          execFile(command!, args, (error, _stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
          ),
        )
        return parseFetch(code, stderr)
      }
      expect(await probe()).to.deep.equal({ status: 400 })
      expect(await probe("localhost")).to.deep.equal({ status: 200 })
    })
  })

  describe("staging tier: without --migrations the deploy reads the pending migrations from the release and gates them", () => {
    let f: DeployFixture
    before(async () => {
      f = await deployFixture("realstage", {
        name: "staging",
        tier: "staging",
        overrides: protectedTier(),
      })
    })
    after(() => f?.cleanup())

    it("v3's volatile db_default on a populated table is refused with the findings and nothing changes; with a reason it is applied and the ledger records the reason", async () => {
      // The first deploy: no release is live, so the contrib apps' migrations it reads (contenttypes 0002 drops a column) are reported, not gated.
      const v2 = await deploy(
        { env: f.env, image: images.v2.id, version: "v2", requestedBy: "spec", approve: approve("staging", images.v2) },
        await f.engine(),
      )
      expect(v2.result).to.equal("succeeded")
      const [first] = await readHistory(f.env, await f.engine(), 1)
      const firstMigrate = first!.phases.find((p) => p.step === "migrate")!.detail ?? ""
      console.log(
        `      first deploy's migrate phase (lists elided): ${firstMigrate.replace(/\): [^;]+;/, "): …;").replace(/(applied \d+): .*$/, "$1: …")}`,
      )
      expect(first!.unsafeOverride).to.equal(null)
      expect(firstMigrate).to.match(
        new RegExp(
          `^checked: read (\\d+) pending migrations from the release \\(showmigrations --plan, then sqlmigrate in a container of ${images.v2.id.slice(7, 19)}\\): .*contenttypes\\.0002_remove_content_type_name.*; not gated: no release is live in staging; applied \\1: `,
        ),
      )
      await query(
        f.db.name,
        "INSERT INTO core_release (version, commit_sha, environment, notes, created_at) SELECT '2.' || g, md5(g::text), 'staging', '', now() FROM generate_series(1, 25) g",
      )
      const columns = () =>
        query<{ column_name: string }>(
          f.db.name,
          "SELECT column_name FROM information_schema.columns WHERE table_name = 'core_release' ORDER BY ordinal_position",
        )
      const core = () =>
        query<{ name: string }>(f.db.name, "SELECT name FROM django_migrations WHERE app = 'core' ORDER BY id")
      const { project } = projectNames(f.env.config.app.name, f.env.name)
      const hostState = () =>
        docker(
          "ps",
          "--all",
          "--filter",
          `label=${LABEL.project}=${project}`,
          "--format",
          "{{.Names}} {{.Image}} {{.State}}",
        )
          .split("\n")
          .sort()
      const before = {
        host: hostState(),
        columns: await columns(),
        core: await core(),
        history: (await readHistory(f.env, await f.engine(), 10)).length,
      }

      const refused = await deploy(
        { env: f.env, image: images.v3.id, version: "v3", requestedBy: "spec", approve: approve("staging", images.v3) },
        await f.engine(),
      ).then(
        () => null,
        (error: unknown) => error,
      )
      expect(refused).to.be.instanceOf(DeployError)
      const message = (refused as DeployError).message
      console.log(`      refused:\n${message.replace(/^/gm, "        ")}`)
      expect((refused as DeployError).code).to.equal("refused")
      expect(message).to.equal(
        [
          'staging: 1 migration finding at error or above; fix them, or deploy with --allow-unsafe-migrations "<reason>" (recorded)',
          `  0001_core_${UNSAFE}.sql:5 error add-column-default-rewrite (AccessExclusiveLock on core_release): Add the column nullable without a default, SET DEFAULT for new rows, backfill existing rows in batches, then make it NOT NULL through a validated CHECK`,
          `analysed against ${deployerSchema(f.db.name)}`,
          `(read 1 pending migration from the release (showmigrations --plan, then sqlmigrate in a container of ${images.v3.id.slice(7, 19)}): core.${UNSAFE})`,
          "Nothing was changed",
        ].join("\n"),
      )
      expect({
        host: hostState(),
        columns: await columns(),
        core: await core(),
        history: (await readHistory(f.env, await f.engine(), 10)).length,
      }).to.deep.equal(before)
      expect(servedVersion({ body: await f.serving() } as RequestRecord)).to.equal("v2")

      const reason = "spec: core_release holds 25 rows; the rewrite takes milliseconds"
      const v3 = await deploy(
        {
          env: f.env,
          image: images.v3.id,
          version: "v3",
          requestedBy: "spec",
          approve: approve("staging", images.v3),
          allowUnsafeMigrations: reason,
        },
        await f.engine(),
      )
      expect(v3.result).to.equal("succeeded")
      const [record] = await readHistory(f.env, await f.engine(), 1)
      const migrate = record!.phases.find((p) => p.step === "migrate")!.detail
      console.log(
        `      ledger #${record!.id}: unsafe_override_reason ${JSON.stringify(record!.unsafeOverride)}; migrations ${JSON.stringify(record!.migrations)}\n      migrate phase: ${migrate}`,
      )
      expect(record!.unsafeOverride).to.equal(reason)
      expect(record!.migrations).to.deep.equal([{ app: "core", name: UNSAFE }])
      expect(migrate).to.match(
        new RegExp(
          `^checked: read 1 pending migration from the release \\(showmigrations --plan, then sqlmigrate in a container of ${images.v3.id.slice(7, 19)}\\): core\\.${UNSAFE}; \\d+ findings? in 1 file, against ${deployerSchema(f.db.name).replace(/[.()]/g, "\\$&")}; \\d+ at error or above, allowed: ${reason}; applied 1: core\\.${UNSAFE}$`,
        ),
      )
      expect((await core()).map((r) => r.name)).to.deep.equal(["0001_initial", MIGRATION, UNSAFE])
      expect(await query(f.db.name, "SELECT count(DISTINCT build_id)::int AS n FROM core_release")).to.deep.equal([
        { n: 25 },
      ])
    })
  })

  describe("staging tier: a widening that the database's schema shows to need no rewrite passes the gate, no override", () => {
    let f: DeployFixture
    before(async () => {
      f = await deployFixture("realwiden", { name: "staging", tier: "staging", overrides: protectedTier() })
    })
    after(() => f?.cleanup())

    it("v5's AlterField of core_release.version, varchar(64) → varchar(128), on a populated table: gated against the schema read through the deployer's view, passed, applied", async () => {
      await deploy(
        { env: f.env, image: images.v2.id, version: "v2", requestedBy: "spec", approve: approve("staging", images.v2) },
        await f.engine(),
      )
      await query(
        f.db.name,
        "INSERT INTO core_release (version, commit_sha, environment, notes, created_at) SELECT '2.' || g, md5(g::text), 'staging', '', now() FROM generate_series(1, 25) g",
      )
      const column = () =>
        query(
          f.db.name,
          "SELECT data_type, character_maximum_length AS length FROM information_schema.columns WHERE table_name = 'core_release' AND column_name = 'version'",
        )
      expect(await column()).to.deep.equal([{ data_type: "character varying", length: 64 }])

      const v5 = await deploy(
        { env: f.env, image: images.v5.id, version: "v5", requestedBy: "spec", approve: approve("staging", images.v5) },
        await f.engine(),
      )
      expect(v5.result).to.equal("succeeded")
      const [record] = await readHistory(f.env, await f.engine(), 1)
      const migrate = record!.phases.find((p) => p.step === "migrate")!.detail
      console.log(`      migrate phase: ${migrate}`)
      expect(record!.unsafeOverride).to.equal(null)
      expect(record!.migrations).to.deep.equal([{ app: "core", name: WIDEN }])
      // The two findings are warnings (missing lock_timeout, statement_timeout: the migrate step sets both); without the schema, alter-column-type is an error here.
      expect(migrate).to.equal(
        `checked: read 1 pending migration from the release (showmigrations --plan, then sqlmigrate in a container of ${images.v5.id.slice(7, 19)}): core.${WIDEN}; 2 findings in 1 file, against ${deployerSchema(f.db.name)}, none at error or above; applied 1: core.${WIDEN}`,
      )
      expect(await column()).to.deep.equal([{ data_type: "character varying", length: 128 }])
      expect(await query(f.db.name, "SELECT count(*)::int AS n FROM core_release")).to.deep.equal([{ n: 25 }])
      expect(servedVersion({ body: await f.serving() } as RequestRecord)).to.equal("v5")
    })
  })

  describe("production tier: a verified backup of the Django tables, and backup restore", () => {
    let f: DeployFixture
    let hostRelay: ServiceRelay
    const location = mkdtempSync(join(tmpdir(), "dp-real-backups-"))
    const releases = () => query<{ version: string }>(f.db.name, "SELECT version FROM core_release ORDER BY id")
    before(async () => {
      // The backup and backup restore run pg_dump and pg_restore on this host with services.postgres: relays this host may use.
      hostRelay = await relayServices(SERVICE_PORTS)
      f = await deployFixture("realprod", {
        name: "production",
        tier: "production",
        overrides: {
          ...protectedTier(hostRelay),
          security: { run_as_non_root: true, read_only_root_fs: true },
          deploy: { migrations: { run: true }, backup: { enabled: true, location, verify: true, keep: 3 } },
        },
      })
    })
    after(async () => {
      await f?.cleanup()
      await hostRelay?.close()
      rmSync(location, { recursive: true, force: true })
    })

    it("backs up core_release with its rows before v2, verified by a restore; backup restore brings the rows back", async () => {
      // The first deploy applies Django's contrib migrations too (contenttypes 0002 drops a column); with no release live they are reported, not gated. v2's are gated.
      await deploy(
        {
          env: f.env,
          image: images.v1.id,
          version: "v1",
          requestedBy: "spec",
          approve: approve("production", images.v1),
        },
        await f.engine(),
      )
      await query(
        f.db.name,
        "INSERT INTO core_release (version, commit_sha, environment, notes, created_at) SELECT '1.' || g, md5(g::text), 'production', '', now() FROM generate_series(1, 25) g",
      )
      const v2 = await deploy(
        {
          env: f.env,
          image: images.v2.id,
          version: "v2",
          requestedBy: "spec",
          approve: approve("production", images.v2),
        },
        await f.engine(),
      )
      expect(v2.result).to.equal("succeeded")
      const [record] = await readHistory(f.env, await f.engine(), 1)
      const backup = record!.backup!
      expect(record!.phases.find((p) => p.step === "backup")!.detail).to.match(
        new RegExp(`^${backup.id} \\(\\d+ bytes, sha256 ${backup.sha256.slice(0, 12)}, verified by restore\\)$`),
      )
      const listed = execFileSync("pg_restore", ["--list", backup.location], { encoding: "utf8" })
      expect(listed).to.match(/TABLE DATA public core_release /)
      expect(listed).to.match(/TABLE DATA public django_migrations /)

      await query(f.db.name, "DELETE FROM core_release")
      await query(
        f.db.name,
        "INSERT INTO core_release (version, commit_sha, environment, notes, created_at) VALUES ('lost', 'x', 'production', '', now())",
      )
      // Asynchronously: the restore reaches Postgres through the relay in this process (services.postgres, as the backup does).
      const result = await cliProcessAsync([
        "backup",
        "restore",
        "--dir",
        f.writeEnvironments(),
        "--env",
        "production",
        "--id",
        backup.id,
        "--confirm-restore",
        backup.id,
        "--quiet",
      ])
      expect(result.code, result.stderr).to.equal(0)
      expect((await releases()).map((r) => r.version)).to.deep.equal(Array.from({ length: 25 }, (_, i) => `1.${i + 1}`))
      // The backup was taken before v2's migrate step, so the schema is back as it was then too.
      expect(await query(f.db.name, `SELECT name FROM django_migrations WHERE app = 'core' ORDER BY id`)).to.deep.equal(
        [{ name: "0001_initial" }],
      )
    })
  })
})
