/**
 * The gates on the real engine: a staging deploy with no approval, or the wrong one, changes
 * nothing; a production deploy takes a pg_dump backup and verifies it by a restore before
 * anything on the host changes, and records it.
 */
import { expect } from "chai"
import { createHash } from "node:crypto"
import { execFileSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { deploy } from "../../core/deploy/deploy.js"
import { DeployError } from "../../core/deploy/errors.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { LABEL, projectNames } from "../../core/deploy/names.js"
import { PROTECTED_TIER_SECRETS } from "../helpers/deploy-env.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { FIXTURES } from "../helpers/paths.js"
import { PG, connectTo } from "../helpers/postgres.js"

const UNSAFE = {
  path: "0002_add_index.sql",
  content: readFileSync(join(FIXTURES, "migrations", "corpus", "08_django_add_index.sql"), "utf8"),
}

function projectContainers(f: DeployFixture): string {
  return execFileSync(
    "docker",
    ["ps", "-aq", "--filter", `label=${LABEL.project}=${projectNames(f.env.config.app.name, f.env.name).project}`],
    { encoding: "utf8" },
  ).trim()
}

describe("deploy gates on the real Docker engine", function () {
  this.timeout(180_000)

  describe("staging approval", () => {
    let f: DeployFixture
    before(async () => {
      f = await deployFixture("approval", {
        name: "staging",
        tier: "staging",
        overrides: { deploy: { docker_host: "unix:///var/run/docker.sock" }, secrets: PROTECTED_TIER_SECRETS },
      })
      // The table UNSAFE indexes, as the app's database holds it: the gate reads this schema.
      const client = await connectTo(f.db.name)
      try {
        await client.query(
          "CREATE TABLE library_book (id bigserial PRIMARY KEY, title varchar(100) NOT NULL, published date)",
        )
        await client.query(
          "INSERT INTO library_book (title, published) SELECT 'book ' || g, date '2020-01-01' + g FROM generate_series(1, 40) g",
        )
      } finally {
        await client.end()
      }
    })
    after(() => f?.cleanup())

    for (const [what, approve, message] of [
      [
        "no approval",
        undefined,
        (digest: string) =>
          `staging deploys need approval: pass --approve staging@${digest.slice(7, 19)} (the environment and the first 12 hex of the digest you are deploying); nothing was changed`,
      ],
      [
        "a wrong approval",
        "staging@000000000000",
        (digest: string) =>
          `the approval "staging@000000000000" is not for this deploy: it must be staging@${digest.slice(7, 19)}, bound to staging and ${digest}; nothing was changed`,
      ],
    ] as const) {
      it(`with ${what} changes nothing: no ledger row, no container, no network`, async () => {
        const digest = f.images.app.v1!
        const error = await deploy(
          { env: f.env, image: digest, requestedBy: "spec", ...(approve ? { approve } : {}) },
          await f.engine(),
        ).catch((e: Error) => e)
        expect(error).to.be.instanceOf(DeployError)
        expect((error as DeployError).code).to.equal("refused")
        expect((error as Error).message).to.equal(message(digest))
        expect(projectContainers(f)).to.equal("")
        expect(() =>
          execFileSync("docker", ["network", "inspect", projectNames(f.env.config.app.name, "staging").network], {
            stdio: "ignore",
          }),
        ).to.throw()
        const client = await connectTo(f.db.name)
        try {
          const { rows } = await client.query(
            "SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1",
            [f.env.config.ledger.schema],
          )
          expect(rows[0].n).to.equal(0)
        } finally {
          await client.end()
        }
      })
    }

    it("refuses unsafe pending migrations before anything changes, naming each finding", async () => {
      const digest = f.images.app.v2!
      const error = await deploy(
        {
          env: f.env,
          image: digest,
          requestedBy: "spec",
          approve: `staging@${digest.slice(7, 19)}`,
          migrations: [UNSAFE],
        },
        await f.engine(),
      ).catch((e: Error) => e)
      expect(error).to.be.instanceOf(DeployError)
      expect((error as Error).message.split("\n")).to.deep.equal([
        'staging: 1 migration finding at error or above; fix them, or deploy with --allow-unsafe-migrations "<reason>" (recorded)',
        "  0002_add_index.sql:5 error create-index-not-concurrently (ShareLock on library_book): CREATE INDEX CONCURRENTLY in a migration of its own with atomic = False (Django: AddIndexConcurrently), then check pg_index.indisvalid",
        `analysed against the schema of ${f.db.name} at ${PG.host}:${PG.port} (from services.postgres)`,
        "Nothing was changed",
      ])
      expect(projectContainers(f)).to.equal("")
    })

    it("pulls a release the host does not have by its digest, and fails before anything changes when it cannot", async () => {
      const missing = `registry.invalid/acme/webapp@sha256:${"c".repeat(64)}`
      const error = await deploy(
        { env: f.env, image: missing, requestedBy: "spec", approve: `staging@${"c".repeat(12)}` },
        await f.engine(),
      ).catch((e: Error) => e)
      expect(error).to.be.instanceOf(DeployError)
      expect((error as DeployError).code).to.equal("preflight")
      expect((error as Error).message.split("\n")[0]).to.equal(
        `the Docker host cannot pull ${missing}; check the registry login on that host (docker login) and that publish pushed it: \`docker pull --quiet ${missing}\` exited 1`,
      )
      expect(projectContainers(f)).to.equal("")
      const [record] = await readHistory(f.env, await f.engine(), 1)
      expect(record).to.deep.include({ result: "failed" })
      // The failed step is on the record too, with why; nothing after it ran.
      expect(record!.phases.map((p) => [p.step, p.detail])).to.deep.equal([
        [
          "preflight",
          `failed: the Docker host cannot pull ${missing}; check the registry login on that host (docker login) and that publish pushed it: \`docker pull --quiet ${missing}\` exited 1`,
        ],
      ])
    })

    it("with the right approval deploys and records the approval", async () => {
      const digest = f.images.app.v1!
      const outcome = await deploy(
        { env: f.env, image: digest, version: "v1", requestedBy: "spec", approve: `staging@${digest.slice(7, 19)}` },
        await f.engine(),
      )
      expect(outcome.result).to.equal("succeeded")
      const [record] = await readHistory(f.env, await f.engine(), 1)
      expect(record!.approval).to.equal(`staging@${digest.slice(7, 19)}`)
    })

    it("lets unsafe migrations through with a reason, and records the reason", async () => {
      const digest = f.images.app.v2!
      const reason = "library_book has 40 rows; a ShareLock for milliseconds is fine"
      const outcome = await deploy(
        {
          env: f.env,
          image: digest,
          version: "v2",
          requestedBy: "spec",
          approve: `staging@${digest.slice(7, 19)}`,
          migrations: [UNSAFE],
          allowUnsafeMigrations: reason,
        },
        await f.engine(),
      )
      expect(outcome.result).to.equal("succeeded")
      const [record] = await readHistory(f.env, await f.engine(), 1)
      expect(record!.unsafeOverride).to.equal(reason)
      expect(record!.phases.find((p) => p.step === "migrate")!.detail).to.equal(
        `checked: 3 findings in 1 file, against the schema of ${f.db.name} at ${PG.host}:${PG.port} (from services.postgres); 1 at error or above, allowed: library_book has 40 rows; a ShareLock for milliseconds is fine; not applied (deploy.migrations.run is false)`,
      )
    })
  })

  describe("production backup", () => {
    let f: DeployFixture
    const location = mkdtempSync(join(tmpdir(), "dp-backups-"))
    before(async () => {
      f = await deployFixture("backup", {
        name: "production",
        tier: "production",
        overrides: {
          deploy: {
            docker_host: "unix:///var/run/docker.sock",
            backup: { enabled: true, location, verify: true, keep: 3 },
          },
          secrets: PROTECTED_TIER_SECRETS,
        },
      })
      const client = await connectTo(f.db.name)
      try {
        await client.query("CREATE TABLE shop_order (id bigserial PRIMARY KEY, total numeric NOT NULL)")
        await client.query("INSERT INTO shop_order (total) SELECT g FROM generate_series(1, 500) g")
        await client.query(
          "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255), name varchar(255), applied timestamptz)",
        )
        await client.query("INSERT INTO django_migrations (app, name, applied) VALUES ('shop', '0001_initial', now())")
      } finally {
        await client.end()
      }
    })
    after(() => f?.cleanup())

    it("takes and verifies a backup before anything on the host changes, and records it", async () => {
      const digest = f.images.app.v1!
      const outcome = await deploy(
        { env: f.env, image: digest, version: "v1", requestedBy: "spec", approve: `production@${digest.slice(7, 19)}` },
        await f.engine(),
      )
      expect(outcome.result).to.equal("succeeded")
      const [record] = await readHistory(f.env, await f.engine(), 1)
      expect(record!.phases.map((p) => p.step)).to.deep.equal([
        "preflight",
        "backup",
        "migrate",
        "boot",
        "health-gate",
        "switch",
        "watch",
        "retire",
      ])
      const backupPhase = record!.phases.find((p) => p.step === "backup")!
      const bootPhase = record!.phases.find((p) => p.step === "boot")!
      expect(backupPhase.startedAt.getTime() + backupPhase.ms).to.be.at.most(bootPhase.startedAt.getTime())
      expect(backupPhase.detail).to.match(
        /^production-\d{8}T\d{6}Z-[a-f0-9]{12} \(\d+ bytes, sha256 [a-f0-9]{12}, verified by restore\)$/,
      )
      const backup = record!.backup!
      const dump = join(location, `${backup.id}.dump`)
      expect(backup.location).to.equal(dump)
      expect(existsSync(dump)).to.equal(true)
      expect(createHash("sha256").update(readFileSync(dump)).digest("hex")).to.equal(backup.sha256)
      const created = execFileSync(
        "docker",
        ["inspect", "--format", "{{.Created}}", projectNames(f.env.config.app.name, "production").proxy],
        { encoding: "utf8" },
      ).trim()
      expect(new Date(created).getTime()).to.be.at.least(backupPhase.startedAt.getTime() + backupPhase.ms - 1000)
    })
  })
})
