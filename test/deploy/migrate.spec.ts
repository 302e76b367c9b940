/**
 * Applying migrations as a deploy step: the pure parts exactly, then on the real Docker engine a
 * migrate command run once in a container of the new release (its settings, secrets and the
 * deploy's timeouts checked inside it), what it applied recorded in the ledger, and a failing
 * one stopping the deploy before the boot with the old release still serving.
 */
import { expect } from "chai"
import { execFileSync } from "node:child_process"
import * as docker from "../../core/docker/argv.js"
import { deploy, migrateFailure } from "../../core/deploy/deploy.js"
import { DeployError } from "../../core/deploy/errors.js"
import { readHistory } from "../../core/deploy/inspect.js"
import { describeApplied, failedMigration, migrationEnvironment, parseApplied } from "../../core/deploy/migrate.js"
import { type DeployFixture, deployFixture } from "../helpers/deploy-fixture.js"
import { shippedEnvironment } from "../helpers/environments.js"

const DJANGO_OUTPUT = `Operations to perform:
  Apply all migrations: admin, auth, contenttypes, sessions, shop
Running migrations:
  Applying shop.0002_product_sku... OK
  Applying shop.0003_backfill_sku... OK
  Applying shop.0004_sku_not_null...`

describe("deploy/migrate (pure)", () => {
  it("reads what Django applied, in order, and the migration it was applying when it failed", () => {
    expect(parseApplied(DJANGO_OUTPUT)).to.deep.equal([
      { app: "shop", name: "0002_product_sku" },
      { app: "shop", name: "0003_backfill_sku" },
    ])
    expect(failedMigration(DJANGO_OUTPUT)).to.equal("shop.0004_sku_not_null")
    expect(
      parseApplied(
        "Operations to perform:\n  Apply all migrations: shop\nRunning migrations:\n  No migrations to apply.\n",
      ),
    ).to.deep.equal([])
    expect(failedMigration("  No migrations to apply.")).to.equal(null)
    expect(describeApplied([])).to.equal("nothing to apply")
  })

  it("gives the migrate connection the deploy's lock_timeout and statement_timeout through PGOPTIONS (ms)", () => {
    expect(migrationEnvironment(shippedEnvironment("production").config)).to.deep.equal({
      PGOPTIONS: "-c lock_timeout=2000 -c statement_timeout=300000",
    })
  })

  it("runs the command once in the foreground, removed on exit, with settings by value and secrets by name", () => {
    expect(
      docker.runOnce({
        name: "p-migrate-aaaaaaaaaaaa-7",
        network: "p-net",
        labels: { "deploy-pipeline.role": "migrate" },
        image: "img@sha256:x",
        env: { APP_VERSION: "v2" },
        secretNames: ["SECRET_KEY"],
        command: ["python", "manage.py", "migrate", "--noinput"],
        security: {
          run_as_non_root: true,
          read_only_root_fs: false,
          no_new_privileges: true,
          scan: { severity: ["CRITICAL"], ignore_unfixed: true },
        },
      }),
    ).to.deep.equal([
      "docker",
      "run",
      "--rm",
      "--name",
      "p-migrate-aaaaaaaaaaaa-7",
      "--network",
      "p-net",
      "--label",
      "deploy-pipeline.role=migrate",
      "--security-opt",
      "no-new-privileges",
      "--env",
      "APP_VERSION=v2",
      "--env",
      "SECRET_KEY",
      "img@sha256:x",
      "python",
      "manage.py",
      "migrate",
      "--noinput",
    ])
  })

  it("explains a failure: exit code, the migration, what stays applied, what it said, what next", () => {
    expect(
      migrateFailure(
        ["python", "manage.py", "migrate"],
        {
          exitCode: 1,
          stdout: DJANGO_OUTPUT,
          stderr: "django.db.utils.OperationalError: canceling statement due to lock timeout\n",
        },
        parseApplied(DJANGO_OUTPUT),
      ),
    ).to.equal(
      [
        "the migrate command `python manage.py migrate` exited 1 while applying shop.0004_sku_not_null; the new release was not booted and the old one keeps serving",
        "applied 2: shop.0002_product_sku, shop.0003_backfill_sku before that; each ran in its own transaction, so they stay applied (the old release must tolerate them, as it does for every expand step)",
        "Operations to perform:",
        "  Apply all migrations: admin, auth, contenttypes, sessions, shop",
        "Running migrations:",
        "  Applying shop.0002_product_sku... OK",
        "  Applying shop.0003_backfill_sku... OK",
        "  Applying shop.0004_sku_not_null...",
        "django.db.utils.OperationalError: canceling statement due to lock timeout",
        "next: fix the migration and deploy again; a lock_timeout or statement_timeout error means the database was busy: retry when it is quieter, or raise deploy.migrations.lock_timeout",
      ].join("\n"),
    )
  })
})

describe("deploy: the migrate step on the real Docker engine", function () {
  this.timeout(120_000)
  let f: DeployFixture

  // The app image is busybox: the "migrate command" is a shell script that checks what Django's
  // would rely on (its settings, a secret, the timeouts, the network) and prints Django's lines.
  const checks = [
    `test "$APP_VERSION" = "$EXPECT_VERSION" || { echo "APP_VERSION is $APP_VERSION" >&2; exit 3; }`,
    `test "$SECRET_KEY" = test-secret-key-canary-5b1e || { echo "SECRET_KEY did not arrive" >&2; exit 3; }`,
    `test "$PGOPTIONS" = "-c lock_timeout=2000 -c statement_timeout=300000" || { echo "PGOPTIONS is $PGOPTIONS" >&2; exit 3; }`,
  ].join("; ")
  const command = (version: string, tail: string) => [
    "sh",
    "-c",
    `EXPECT_VERSION=${version}; ${checks}; echo "Running migrations:"; ${tail}`,
  ]

  before(async () => {
    f = await deployFixture("migrate")
  })
  after(async () => {
    await f?.cleanup()
  })

  const withCommand = (argv: string[]) => ({
    ...f.env,
    config: {
      ...f.env.config,
      deploy: { ...f.env.config.deploy, migrations: { ...f.env.config.deploy.migrations, run: true, command: argv } },
    },
  })

  it("applies the new release's migrations once, before it boots, and records them in the ledger", async () => {
    const env = withCommand(
      command("v1", `echo "  Applying shop.0001_initial... OK"; echo "  Applying shop.0002_product_sku... OK"`),
    )
    const outcome = await deploy(
      { env, image: f.images.app.v1!, version: "v1", requestedBy: "spec" },
      await f.engine(env),
    )
    expect(outcome.result).to.equal("succeeded")
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect(last!.migrations).to.deep.equal([
      { app: "shop", name: "0001_initial" },
      { app: "shop", name: "0002_product_sku" },
    ])
    expect(last!.phases.find((p) => p.step === "migrate")!.detail).to.equal(
      "checked: no pending migration SQL given; applied 2: shop.0001_initial, shop.0002_product_sku",
    )
    const leftovers = execFileSync("docker", ["ps", "-aq", "--filter", "label=deploy-pipeline.role=migrate"], {
      encoding: "utf8",
    }).trim()
    expect(leftovers).to.equal("")
  })

  it("a failing migrate command stops the deploy before the boot: v1 keeps serving, the applied part is recorded", async () => {
    const env = withCommand(
      command(
        "v2",
        `echo "  Applying shop.0003_backfill_sku... OK"; echo "  Applying shop.0004_sku_not_null..."; echo "django.db.utils.OperationalError: canceling statement due to lock timeout" >&2; exit 1`,
      ),
    )
    let error: unknown
    try {
      await deploy({ env, image: f.images.app.v2!, version: "v2", requestedBy: "spec" }, await f.engine(env))
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(DeployError)
    expect((error as DeployError).code).to.equal("migrate")
    expect((error as Error).message).to.match(
      /^the migrate command `sh -c .*` exited 1 while applying shop\.0004_sku_not_null; the new release was not booted and the old one keeps serving\napplied 1: shop\.0003_backfill_sku before that;/,
    )
    expect((error as Error).message).to.include("canceling statement due to lock timeout")
    expect(await f.serving()).to.equal("v1")
    const [last] = await readHistory(f.env, await f.engine(), 1)
    expect(last).to.deep.include({ result: "failed", switchedAt: null })
    expect(last!.migrations).to.deep.equal([{ app: "shop", name: "0003_backfill_sku" }])
    expect(last!.phases.map((p) => p.step)).to.deep.equal(["preflight", "migrate"])
    expect(last!.phases[1]!.detail).to.match(
      /^failed: the migrate command `sh -c .*` exited 1 while applying shop\.0004_sku_not_null;/,
    )
    const v2 = execFileSync("docker", ["ps", "-aq", "--filter", `label=deploy-pipeline.digest=${f.images.app.v2}`], {
      encoding: "utf8",
    }).trim()
    expect(v2).to.equal("")
  })
})
