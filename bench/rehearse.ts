/**
 * `npm run bench:rehearse`: a one-off measurement, not a test. The reference Django app's database
 * at v1 with ROWS rows in core_release, a verified backup of it recorded in the ledger, then
 * `migrations rehearse` of two releases on that backup:
 *  - v3, whose 0003_release_build_id adds a column with a volatile db_default (RandomUUID): the
 *    analyzer's add-column-default-rewrite error, a rewrite of core_release under ACCESS EXCLUSIVE;
 *  - v3-safe, the same migration written the way that rule's fix says: add the column nullable
 *    without a default, SET DEFAULT for new rows, backfill in batches (each its own transaction),
 *    then NOT NULL through a validated CHECK. The model state is the same.
 * It prints each per-migration table and the ACCESS EXCLUSIVE hold on core_release with and without
 * the safe pattern, and writes them to bench/results/rehearse-bench.md.
 */
import { writeFile } from "node:fs/promises"
import { performance } from "node:perf_hooks"
import { migrationsRehearse } from "../core/commands/migrations-rehearse.js"
import { type RehearsalReport, formatMs, renderRehearsalText } from "../core/migrations/rehearse/report.js"
import { type AppVariant, buildAppImage } from "../test/helpers/django-images.js"
import { MIGRATION, UNSAFE, V1, V3 } from "../test/helpers/django-variants.js"
import { rehearsalFixture } from "../test/helpers/rehearsal-fixture.js"

const ROWS = Number(process.env.BENCH_REHEARSE_ROWS ?? 1_000_000)

const V3_SAFE: AppVariant = {
  tag: "rehearse-v3-safe",
  version: "3.0.0-safe",
  files: {
    ...V3.files,
    [`core/migrations/${UNSAFE}.py`]: [
      "import django.contrib.postgres.functions",
      "from django.db import migrations, models",
      "",
      "BATCH = 50_000",
      "",
      "",
      "def backfill(apps, schema_editor):",
      "    with schema_editor.connection.cursor() as cursor:",
      '        cursor.execute("SELECT coalesce(max(id), 0) FROM core_release")',
      "        top = cursor.fetchone()[0]",
      "        for start in range(0, top, BATCH):",
      "            cursor.execute(",
      '                "UPDATE core_release SET build_id = gen_random_uuid() WHERE id > %s AND id <= %s AND build_id IS NULL",',
      "                [start, start + BATCH],",
      "            )",
      "",
      "",
      "class Migration(migrations.Migration):",
      "    atomic = False",
      `    dependencies = [("core", "${MIGRATION}")]`,
      "",
      "    operations = [",
      "        migrations.SeparateDatabaseAndState(",
      "            state_operations=[",
      "                migrations.AddField(",
      '                    model_name="release",',
      '                    name="build_id",',
      "                    field=models.UUIDField(db_default=django.contrib.postgres.functions.RandomUUID()),",
      "                ),",
      "            ],",
      "            database_operations=[",
      '                migrations.RunSQL("ALTER TABLE core_release ADD COLUMN build_id uuid", migrations.RunSQL.noop),',
      '                migrations.RunSQL("ALTER TABLE core_release ALTER COLUMN build_id SET DEFAULT gen_random_uuid()", migrations.RunSQL.noop),',
      "                migrations.RunPython(backfill, migrations.RunPython.noop, atomic=False),",
      '                migrations.RunSQL("ALTER TABLE core_release ADD CONSTRAINT core_release_build_id_nn CHECK (build_id IS NOT NULL) NOT VALID", migrations.RunSQL.noop),',
      '                migrations.RunSQL("ALTER TABLE core_release VALIDATE CONSTRAINT core_release_build_id_nn", migrations.RunSQL.noop),',
      '                migrations.RunSQL("ALTER TABLE core_release ALTER COLUMN build_id SET NOT NULL", migrations.RunSQL.noop),',
      '                migrations.RunSQL("ALTER TABLE core_release DROP CONSTRAINT core_release_build_id_nn", migrations.RunSQL.noop),',
      "            ],",
      "        ),",
      "    ]",
      "",
    ].join("\n"),
  },
}

const say = (line: string) => process.stderr.write(`${line}\n`)

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const value = await work()
  say(`${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return value
}

async function main(): Promise<void> {
  const v1 = await timed("image v1", () => buildAppImage(V1))
  const [v3, safe] = await timed("images v3, v3-safe", () => Promise.all([buildAppImage(V3), buildAppImage(V3_SAFE)]))
  const f = await rehearsalFixture("bench")
  try {
    await timed("migrate to v1", () => f.migrateWith(v1.id))
    await timed(`insert ${ROWS.toLocaleString("en-US")} rows into core_release`, () => f.addReleases(ROWS))
    const backup = await timed("verified backup, recorded in the ledger", () => f.backup(v1.id))
    const reports: RehearsalReport[] = []
    for (const [label, image] of [
      ["v3", v3.id],
      ["v3-safe", safe.id],
    ] as const) {
      const outcome = await timed(`rehearse ${label}`, () =>
        migrationsRehearse({ env: f.env, image, requestedBy: "bench", format: "json" }, f.engine),
      )
      const report = JSON.parse(outcome.text) as RehearsalReport
      if (!report.passed || report.source !== `backup ${backup}`)
        throw new Error(`the ${label} rehearsal did not pass on ${backup}:\n${renderRehearsalText(report)}`)
      reports.push(report)
    }
    const hold = (report: RehearsalReport) => report.migrations.find((m) => m.name === UNSAFE)!
    const release = (report: RehearsalReport) => hold(report).tables.find((t) => t.table === "public.core_release")!
    const lines = [
      `# migrations rehearse: ${ROWS.toLocaleString("en-US")} rows in core_release, on backup ${backup}`,
      "",
      ...reports.flatMap((report, i) => [
        `## ${i === 0 ? "v3 (add-column-default-rewrite, as Django writes it)" : "v3-safe (the rule's fix)"}`,
        "",
        "```",
        renderRehearsalText(report),
        "```",
        "",
      ]),
      `## core.${UNSAFE}: ACCESS EXCLUSIVE on core_release`,
      "",
      "| | strongest lock | longest hold | holds | rewrite | rows written | migration wall |",
      "|---|---|---|---|---|---|---|",
      ...reports.map((report, i) => {
        const t = release(report)
        return `| ${i === 0 ? "as written" : "safe pattern"} | ${t.lock} | ${formatMs(t.heldMs)} | ${t.holds} | ${t.rewritten ? `yes (${(t.rewrittenRows ?? 0).toLocaleString("en-US")} rows)` : "no"} | ${t.written.toLocaleString("en-US")} | ${formatMs(hold(report).wallMs)} |`
      }),
    ]
    const text = `${lines.join("\n")}\n`
    process.stdout.write(text)
    await writeFile("bench/results/rehearse-bench.md", text)
  } finally {
    await f.cleanup()
  }
}

await main()
