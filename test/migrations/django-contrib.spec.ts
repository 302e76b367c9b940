/**
 * `migrations check` on migrations nobody here wrote: every migration of Django's own contrib apps
 * (auth, admin, contenttypes, sessions, sites, flatpages, redirects) as Django 5.2's `sqlmigrate`
 * prints it for PostgreSQL, each checked against the scratch database's schema as it stands after
 * the migrations before it (`pg_dump --schema-only`, taken by test/fixtures/django-contrib/
 * export_migrations.py, which applies them one by one). The findings are pinned exactly, so any
 * change in what the analyzer says about them shows here; README "Django's own migrations" gives
 * the verdict on each. Needs the reference app's venv (ci/setup/python.sh), PostgreSQL 15 on
 * 127.0.0.1:5432 and pg_dump; fails, never skips, without them.
 */
import { expect } from "chai"
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { migrationsCheck } from "../../core/commands/migrations-check.js"
import type { Outcome } from "../../core/commands/outcome.js"
import type { SqlFile } from "../../core/migrations/sql-file.js"
import { requireService } from "../health/support/net.js"
import { requireDjangoVenv, venvBin } from "../helpers/django-venv.js"
import { FIXTURES } from "../helpers/paths.js"
import { type TestDatabase, createTestDatabase } from "./helpers/pg.js"

const SETTINGS_DIR = join(FIXTURES, "django-contrib")

/** `manage.py showmigrations --plan` for the seven apps under Django 5.2. */
const PLAN = [
  "contenttypes/0001_initial",
  "auth/0001_initial",
  "admin/0001_initial",
  "admin/0002_logentry_remove_auto_add",
  "admin/0003_logentry_add_action_flag_choices",
  "contenttypes/0002_remove_content_type_name",
  "auth/0002_alter_permission_name_max_length",
  "auth/0003_alter_user_email_max_length",
  "auth/0004_alter_user_username_opts",
  "auth/0005_alter_user_last_login_null",
  "auth/0006_require_contenttypes_0002",
  "auth/0007_alter_validators_add_error_messages",
  "auth/0008_alter_user_username_max_length",
  "auth/0009_alter_user_last_name_max_length",
  "auth/0010_alter_group_name_max_length",
  "auth/0011_update_proxy_permissions",
  "auth/0012_alter_user_first_name_max_length",
  "sites/0001_initial",
  "flatpages/0001_initial",
  "redirects/0001_initial",
  "redirects/0002_alter_redirect_new_path_help_text",
  "sessions/0001_initial",
  "sites/0002_alter_domain_unique",
]

type Pinned = [
  file: string,
  line: number,
  rule: string,
  severity: string,
  lock: string | null,
  rewrites: boolean,
  relation: string | null,
]

const timeouts = (file: string, line: number, lock: string, relation: string): Pinned[] => [
  [file, line, "missing-lock-timeout", "warning", lock, false, relation],
  [file, line, "missing-statement-timeout", "warning", lock, false, relation],
]
const intKey = (file: string, line: number, relation: string): Pinned => [
  file,
  line,
  "int-primary-key",
  "info",
  null,
  false,
  relation,
]

/** Every finding, in plan order; the README's table gives the verdict on each. */
const FINDINGS: Pinned[] = [
  intKey("contenttypes/0001_initial.sql", 5, "django_content_type"),
  ...[
    [5, "auth_permission"],
    [9, "auth_group"],
    [10, "auth_group_permissions"],
    [14, "auth_user"],
    [15, "auth_user_groups"],
    [16, "auth_user_user_permissions"],
  ].map(([line, table]) => intKey("auth/0001_initial.sql", line as number, table as string)),
  ...timeouts("auth/0001_initial.sql", 18, "ShareRowExclusiveLock", "django_content_type"),
  intKey("admin/0001_initial.sql", 5, "django_admin_log"),
  ...timeouts("admin/0001_initial.sql", 6, "ShareRowExclusiveLock", "django_content_type"),
  [
    "contenttypes/0002_remove_content_type_name.sql",
    9,
    "drop-not-null",
    "warning",
    "AccessExclusiveLock",
    false,
    "django_content_type",
  ],
  ...timeouts("contenttypes/0002_remove_content_type_name.sql", 9, "AccessExclusiveLock", "django_content_type"),
  ["contenttypes/0002_remove_content_type_name.sql", 11, "run-python", "info", null, false, null],
  [
    "contenttypes/0002_remove_content_type_name.sql",
    17,
    "drop-column",
    "error",
    "AccessExclusiveLock",
    false,
    "django_content_type",
  ],
  ...timeouts("auth/0002_alter_permission_name_max_length.sql", 5, "AccessExclusiveLock", "auth_permission"),
  ...timeouts("auth/0003_alter_user_email_max_length.sql", 5, "AccessExclusiveLock", "auth_user"),
  [
    "auth/0005_alter_user_last_login_null.sql",
    5,
    "drop-not-null",
    "warning",
    "AccessExclusiveLock",
    false,
    "auth_user",
  ],
  ...timeouts("auth/0005_alter_user_last_login_null.sql", 5, "AccessExclusiveLock", "auth_user"),
  ...timeouts("auth/0008_alter_user_username_max_length.sql", 5, "AccessExclusiveLock", "auth_user"),
  ...timeouts("auth/0009_alter_user_last_name_max_length.sql", 5, "AccessExclusiveLock", "auth_user"),
  ...timeouts("auth/0010_alter_group_name_max_length.sql", 5, "AccessExclusiveLock", "auth_group"),
  ["auth/0011_update_proxy_permissions.sql", 3, "run-python", "info", null, false, null],
  ...timeouts("auth/0012_alter_user_first_name_max_length.sql", 5, "AccessExclusiveLock", "auth_user"),
  intKey("sites/0001_initial.sql", 5, "django_site"),
  intKey("flatpages/0001_initial.sql", 5, "django_flatpage"),
  intKey("flatpages/0001_initial.sql", 6, "django_flatpage_sites"),
  ...timeouts("flatpages/0001_initial.sql", 11, "ShareRowExclusiveLock", "django_site"),
  intKey("redirects/0001_initial.sql", 5, "django_redirect"),
  ...timeouts("redirects/0001_initial.sql", 7, "ShareRowExclusiveLock", "django_site"),
  [
    "sites/0002_alter_domain_unique.sql",
    5,
    "unique-without-index",
    "error",
    "AccessExclusiveLock",
    false,
    "django_site",
  ],
  ...timeouts("sites/0002_alter_domain_unique.sql", 5, "AccessExclusiveLock", "django_site"),
  [
    "sites/0002_alter_domain_unique.sql",
    6,
    "statements-after-strong-lock",
    "error",
    "AccessExclusiveLock",
    false,
    "django_site",
  ],
  [
    "sites/0002_alter_domain_unique.sql",
    6,
    "create-index-not-concurrently",
    "error",
    "ShareLock",
    false,
    "django_site",
  ],
]

/** The six varchar widenings: binary-coercible, so not a rewrite once the schema says what the column was. */
const WIDENINGS = [
  "auth/0002_alter_permission_name_max_length",
  "auth/0003_alter_user_email_max_length",
  "auth/0008_alter_user_username_max_length",
  "auth/0009_alter_user_last_name_max_length",
  "auth/0010_alter_group_name_max_length",
  "auth/0012_alter_user_first_name_max_length",
]

interface Migration {
  file: SqlFile
  /** The schema before it: every earlier migration applied. */
  schema: SqlFile
}

interface Checked {
  file: string
  outcome: Outcome
  findings: {
    file: string
    line: number
    rule: string
    severity: string
    lock: string | null
    rewrites: boolean
    relation: string | null
  }[]
}

async function check(files: SqlFile[], schema?: SqlFile): Promise<Checked> {
  const outcome = await migrationsCheck(files, { ...(schema ? { schema } : {}), pgVersion: "15", format: "json" })
  expect(outcome.json, `${files[0]?.path}: ${outcome.text}`).to.equal(true)
  return { file: files[0]!.path, outcome, findings: (JSON.parse(outcome.text) as Pick<Checked, "findings">).findings }
}

const pinned = (checked: Checked[]): Pinned[] =>
  checked.flatMap((c) =>
    c.findings.map((f): Pinned => [f.file, f.line, f.rule, f.severity, f.lock, f.rewrites, f.relation]),
  )

describe("migrations check on Django 5.2's contrib migrations (sqlmigrate, PostgreSQL 15)", function () {
  this.timeout(60_000)
  const out = mkdtempSync(join(tmpdir(), "dp-django-contrib-"))
  let database: TestDatabase | undefined
  let migrations: Migration[] = []
  const checked: Checked[] = []

  before(async () => {
    requireDjangoVenv()
    await requireService("Postgres", 5432)
    database = await createTestDatabase()
    const started = Date.now()
    const run = spawnSync(venvBin("python"), ["export_migrations.py", out], {
      cwd: SETTINGS_DIR,
      encoding: "utf8",
      timeout: 45_000,
      env: {
        ...process.env,
        DJANGO_SETTINGS_MODULE: "settings",
        PYTHONPATH: SETTINGS_DIR,
        DP_CONTRIB_DB: database.name,
      },
    })
    if (run.status !== 0) {
      const hint = /pg_dump/.test(run.stderr) ? "; pg_dump (PostgreSQL 15's client) must be on PATH" : ""
      throw new Error(
        `export_migrations.py exited ${String(run.status ?? run.signal)}${hint}: ${run.stderr || run.error?.message}`,
      )
    }
    const read = (name: string): string => readFileSync(join(out, name), "utf8")
    const plan = JSON.parse(read("plan.json")) as { app: string; name: string }[]
    migrations = plan.map(({ app, name }, i) => {
      const number = String(i + 1).padStart(3, "0")
      return {
        file: { path: `${app}/${name}.sql`, content: read(`${number}.sql`) },
        schema: { path: `${number}.schema.sql`, content: read(`${number}.schema.sql`) },
      }
    })
    for (const m of migrations) checked.push(await check([m.file], m.schema))
    console.log(
      `      exported ${migrations.length} migrations (sqlmigrate, migrate, pg_dump each) and checked them in ${Date.now() - started} ms`,
    )
  })
  after(async () => {
    await database?.drop()
    rmSync(out, { recursive: true, force: true })
  })

  it("reads all 23 migrations in showmigrations --plan order, and checks each once", () => {
    expect(migrations.map((m) => m.file.path.replace(/\.sql$/, ""))).to.deep.equal(PLAN)
    expect(checked.map((c) => c.file)).to.deep.equal(PLAN.map((p) => `${p}.sql`))
  })

  it("parses every one: no syntax error, even for auth 0006, whose sqlmigrate output is empty", () => {
    expect(migrations.find((m) => m.file.path.startsWith("auth/0006"))!.file.content).to.equal("")
    expect(pinned(checked).filter(([, , rule]) => rule === "syntax-error")).to.deep.equal([])
  })

  it("finds exactly the pinned findings (file, line, rule, severity, lock, rewrite, relation)", () => {
    expect(pinned(checked)).to.deep.equal(FINDINGS)
  })

  it("blocks only contenttypes 0002 (drops a column) and sites 0002 (builds a unique index under an exclusive lock)", () => {
    expect(checked.filter((c) => !c.outcome.ok).map((c) => c.file)).to.deep.equal([
      "contenttypes/0002_remove_content_type_name.sql",
      "sites/0002_alter_domain_unique.sql",
    ])
  })

  it("widening a varchar is no rewrite with the schema, and an alter-column-type error without it", async () => {
    for (const name of WIDENINGS) {
      const m = migrations.find((x) => x.file.path === `${name}.sql`)!
      expect(m.file.content, name).to.match(/ALTER COLUMN "\w+" TYPE varchar\(\d+\);/)
      expect(
        checked.find((c) => c.file === m.file.path)!.findings.map((f) => f.rule),
        name,
      ).to.deep.equal(["missing-lock-timeout", "missing-statement-timeout"])
      const blind = await check([m.file])
      expect(
        blind.findings.map((f) => [f.rule, f.rewrites]),
        name,
      ).to.deep.include(["alter-column-type", true])
    }
  })

  it("gives the same findings checking the whole plan at once from the empty database's schema (the schema carried from file to file)", async () => {
    const whole = await migrationsCheck(
      migrations.map((m) => m.file),
      { schema: migrations[0]!.schema, pgVersion: "15", format: "json" },
    )
    const findings = (JSON.parse(whole.text) as Pick<Checked, "findings">).findings
    expect(pinned([{ file: "", outcome: whole, findings }])).to.deep.equal(FINDINGS)
  })
})
