/**
 * `migrations rehearse` on the reference Django app's real migrations, for real: the environment's
 * database is at v1 with rows in core_release; the v3 image's pending migrations (0002 adds a
 * nullable column, 0003 adds one with a volatile db_default, which rewrites core_release) run in
 * containers of v3 on a scratch restore, first of a fresh pg_dump (no backup yet), then of a
 * verified backup the ledger records. A variant whose migration fails on the data shows the
 * failure path. Each time: the scratch database is gone afterwards, the environment's tables keep
 * their relfilenodes and row counts, and the ledger has the rehearsal, which is what
 * deploy.migrations.rehearse required then reads.
 */
import { expect } from "chai"
import { migrationsRehearse } from "../../core/commands/migrations-rehearse.js"
import type { Environment } from "../../core/config/load.js"
import { RehearsalRequiredError, requireRehearsal } from "../../core/deploy/rehearsal-requirement.js"
import { releaseOf } from "../../core/deploy/release.js"
import { latestRehearsal } from "../../core/ledger/rehearsals.js"
import type { RehearsalReport } from "../../core/migrations/rehearse/report.js"
import { type AppImage, type AppVariant, buildAppImage } from "../helpers/django-images.js"
import { MIGRATION, UNSAFE, V1, V2, V3 } from "../helpers/django-variants.js"
import { cli } from "../helpers/cli.js"
import { type RehearsalFixture, rehearsalFixture } from "../helpers/rehearsal-fixture.js"

const ROWS = 2_000
const FAILING = "0003_release_notes_empty"
/** v2 plus a migration that cannot apply to rows that exist: every release has notes. */
const V_FAIL: AppVariant = {
  tag: "rehearse-fail",
  version: "3.0.0-fail",
  files: {
    ...V2.files,
    [`core/migrations/${FAILING}.py`]: [
      "from django.db import migrations",
      "",
      "",
      "class Migration(migrations.Migration):",
      `    dependencies = [("core", "${MIGRATION}")]`,
      "",
      "    operations = [",
      "        migrations.RunSQL(\"ALTER TABLE core_release ADD CONSTRAINT notes_empty CHECK (notes = '')\", migrations.RunSQL.noop),",
      "    ]",
      "",
    ].join("\n"),
  },
}

type Table = RehearsalReport["migrations"][number]["tables"][number]
const table = (report: RehearsalReport, migration: string, name: string): Table | undefined =>
  report.migrations.find((m) => m.name === migration)?.tables.find((t) => t.table === name)

describe("migrations rehearse on the reference Django app's migrations (real Postgres, Docker, pg_dump/pg_restore)", function () {
  this.timeout(300_000)
  let f: RehearsalFixture
  let images: Record<"v1" | "v3" | "fail", AppImage>
  let initial: string[]

  before(async function () {
    this.timeout(900_000)
    const v1 = await buildAppImage(V1)
    const [v3, fail] = await Promise.all([buildAppImage(V3), buildAppImage(V_FAIL)])
    images = { v1, v3, fail }
    f = await rehearsalFixture("rehearse")
    await f.migrateWith(images.v1.id)
    await f.addReleases(ROWS)
    initial = await f.snapshot()
  })
  after(() => f?.cleanup())

  const rehearse = (image: string) =>
    migrationsRehearse({ env: f.env, image, requestedBy: "spec", format: "json" }, f.engine)

  it("with no backup: rehearses on a fresh pg_dump, measures 0003's rewrite under ACCESS EXCLUSIVE, and leaves the environment's database as it was", async () => {
    const outcome = await rehearse(images.v3.id)
    const report = JSON.parse(outcome.text) as RehearsalReport & { ledgerId: number }
    console.log(
      `      ${report.migrations.map((m) => `${m.app}.${m.name} ${m.result} ${m.wallMs} ms: ${m.tables.map((t) => `${t.table} ${t.lock} ${t.heldMs} ms${t.rewritten ? ` rewrote ${t.rewrittenRows}` : ""} w${t.written} r${t.read}`).join("; ")}`).join("\n      ")}`,
    )
    expect(outcome.ok, outcome.text).to.equal(true)
    expect(report.source).to.equal(`a fresh pg_dump of ${f.db.name} (no verified backup in the ledger)`)
    expect(report.migrations.map((m) => [`${m.app}.${m.name}`, m.result])).to.deep.equal([
      [`core.${MIGRATION}`, "applied"],
      [`core.${UNSAFE}`, "applied"],
    ])
    const rewrite = table(report, UNSAFE, "public.core_release")!
    expect({ lock: rewrite.lock, rewritten: rewrite.rewritten, rows: rewrite.rewrittenRows }).to.deep.equal({
      lock: "AccessExclusiveLock",
      rewritten: true,
      rows: ROWS,
    })
    const addNullable = table(report, MIGRATION, "public.core_release")!
    expect({ lock: addNullable.lock, rewritten: addNullable.rewritten }).to.deep.equal({
      lock: "AccessExclusiveLock",
      rewritten: false,
    })
    expect(rewrite.heldMs).to.be.a("number")
    for (const m of report.migrations)
      expect(table(report, m.name, "public.django_migrations")?.written, `${m.name} records itself`).to.equal(1)
    expect(await f.snapshot()).to.deep.equal(initial)
    expect(await f.leftovers()).to.deep.equal([])
  })

  it("restores the latest verified backup the ledger records (not the rows written since), and records the rehearsal", async () => {
    const id = await f.backup(images.v1.id)
    await f.addReleases(100)
    const now = await f.snapshot()
    const outcome = await rehearse(images.v3.id)
    const report = JSON.parse(outcome.text) as RehearsalReport & { ledgerId: number }
    expect(outcome.ok, outcome.text).to.equal(true)
    expect(report.source).to.equal(`backup ${id}`)
    expect(table(report, UNSAFE, "public.core_release")!.rewrittenRows).to.equal(ROWS)
    expect(await f.snapshot()).to.deep.equal(now)
    expect(await f.leftovers()).to.deep.equal([])
    const client = await f.engine.connectLedger()
    const recorded = await latestRehearsal(
      client,
      f.env.config.ledger.schema,
      f.env.name,
      releaseOf(images.v3.id).digest,
    ).finally(() => client.end())
    expect({
      id: recorded!.id,
      result: recorded!.result,
      source: recorded!.source,
      migrations: recorded!.migrations,
    }).to.deep.equal({ id: report.ledgerId, result: "passed", source: `backup ${id}`, migrations: report.migrations })
  })

  it("the CLI prints the per-migration table on stdout and exits 0", async () => {
    const result = await cli(
      "migrations",
      "rehearse",
      "--dir",
      f.writeEnvironments(),
      "--env",
      "rehearsal",
      "--image",
      images.v3.id,
      "--quiet",
    )
    const lines = result.stdout.trim().split("\n")
    expect(result.code, result.stdout + result.stderr).to.equal(0)
    expect(lines[0]).to.match(
      new RegExp(
        `^rehearsal of ${images.v3.id} for rehearsal, on backup rehearsal-\\d{8}T\\d{6}Z-[0-9a-f]{12}, restored into dp_rehearse_rehearsal_[0-9a-f]{12}_[0-9a-f]{6} \\(dropped\\)$`,
      ),
    )
    expect(lines[1]!.split(/\s{2,}/)).to.deep.equal([
      "migration",
      "result",
      "wall",
      "table",
      "strongest lock",
      "held",
      "rewrite",
      "rows written",
      "rows read",
    ])
    expect(
      lines.filter((line) => /^core\.\d{4}_\w+ +applied /.test(line)).map((line) => line.split(" ")[0]),
    ).to.deep.equal([`core.${MIGRATION}`, `core.${UNSAFE}`])
    expect(lines.at(-2)).to.equal("passed: 2 migrations applied on the copy")
    expect(lines.at(-1)).to.match(/^recorded as rehearsal #\d+ in the ledger$/)
    expect(result.stderr).to.equal("")
  })

  it("a migration that fails on the data fails the rehearsal: the failure is reported and recorded, the scratch database is dropped", async () => {
    const now = await f.snapshot()
    const outcome = await rehearse(images.fail.id)
    const report = JSON.parse(outcome.text) as RehearsalReport
    expect(outcome.ok).to.equal(false)
    expect(report.passed).to.equal(false)
    expect(report.migrations.map((m) => [m.name, m.result])).to.deep.equal([
      [MIGRATION, "applied"],
      [FAILING, "failed"],
    ])
    expect(report.migrations[1]!.error).to.match(/check constraint "notes_empty" .*is violated by some row/)
    expect(await f.snapshot()).to.deep.equal(now)
    expect(await f.leftovers()).to.deep.equal([])
    const client = await f.engine.connectLedger()
    const recorded = await latestRehearsal(
      client,
      f.env.config.ledger.schema,
      f.env.name,
      releaseOf(images.fail.id).digest,
    ).finally(() => client.end())
    expect(recorded!.result).to.equal("failed")
  })

  it("deploy.migrations.rehearse required: a passing recent rehearsal of the digest lets the deploy on; none, a failed or an old one refuses with the next step", async () => {
    const { config } = f.env
    const required: Environment = {
      ...f.env,
      config: {
        ...config,
        deploy: {
          ...config.deploy,
          migrations: { ...config.deploy.migrations, rehearse: { mode: "required", max_age: 3_600_000 } },
        },
      },
    }
    const logs: string[] = []
    const deps = { connectLedger: f.engine.connectLedger, log: (line: string) => logs.push(line) }
    await requireRehearsal(required, releaseOf(images.v3.id), deps)
    expect(logs[0]).to.match(new RegExp(`^rehearsal #\\d+ of ${releaseOf(images.v3.id).short} passed within 1h$`))
    const refusal = async (image: string, now?: Date) => {
      const error = await requireRehearsal(required, releaseOf(image), deps, now ? () => now : undefined).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).to.be.instanceOf(RehearsalRequiredError)
      return error as RehearsalRequiredError
    }
    const missing = await refusal(images.v1.id)
    expect([missing.code, missing.problem]).to.deep.equal(["refused", "rehearsal-missing"])
    expect(missing.message).to.equal(
      `rehearsal requires a passing migrations rehearsal of ${releaseOf(images.v1.id).digest} within 1h (deploy.migrations.rehearse), and the ledger has none\nnext: run deploy-pipeline migrations rehearse --env rehearsal --image ${images.v1.id} (or dagger call rehearse-migrations), then deploy again. Nothing was changed`,
    )
    expect((await refusal(images.fail.id)).problem).to.equal("rehearsal-failed")
    const stale = await refusal(images.v3.id, new Date(Date.now() + 2 * 3_600_000))
    expect(stale.problem).to.equal("rehearsal-stale")
    expect(stale.message).to.match(
      /, and the latest, #\d+, passed 2h ago\nnext: run deploy-pipeline migrations rehearse --env rehearsal --image /,
    )
  })
})
