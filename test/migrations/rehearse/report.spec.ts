/** The rehearsal's pure parts: the per-migration command, the measures from two states and the lock samples, the text table. */
import { expect } from "chai"
import type { TableState } from "../../../core/migrations/rehearse/measure.js"
import { rehearsalDatabaseName, stepCommand, stepCommandProblem } from "../../../core/migrations/rehearse/plan.js"
import {
  type RehearsalReport,
  measureMigration,
  notRun,
  renderRehearsalText,
} from "../../../core/migrations/rehearse/report.js"

const state = (filenode: number, liveRows: number, written: number, read: number): TableState => ({
  filenode,
  liveRows,
  written,
  read,
})

describe("migrations/rehearse: plan", () => {
  it("narrows the deploy's migrate command to one migration by appending APP NAME", () => {
    expect(
      stepCommand(["python", "manage.py", "migrate", "--noinput"], { app: "core", name: "0003_release_build_id" }),
    ).to.deep.equal(["python", "manage.py", "migrate", "--noinput", "core", "0003_release_build_id"])
  })

  it("refuses a command that is not manage.py migrate, or already names a migration", () => {
    expect(stepCommandProblem(["python", "manage.py", "migrate", "--noinput"])).to.equal(undefined)
    expect(stepCommandProblem(["./bin/release"])).to.equal(
      "deploy.migrations.command (./bin/release) is not manage.py migrate; a rehearsal runs it once per migration with APP NAME appended, so it must end in migrate and its options",
    )
    expect(stepCommandProblem(["python", "manage.py", "migrate", "core"])).to.equal(
      "deploy.migrations.command (python manage.py migrate core) already names core; a rehearsal appends APP NAME for each pending migration, so the command must end in migrate and its options",
    )
  })

  it("names the scratch database after the environment and the digest, within 63 bytes", () => {
    const name = rehearsalDatabaseName("production-eu-west-1-extra", `sha256:${"ab".repeat(32)}`, "c0ffee")
    expect(name).to.equal("dp_rehearse_production_eu_west_1_abababababab_c0ffee")
    expect(name.length).to.be.at.most(63)
  })
})

describe("migrations/rehearse: report", () => {
  const before = new Map([
    ["public.core_release", state(100, 1_000_000, 1_000_000, 0)],
    ["public.django_migrations", state(200, 20, 20, 40)],
    ["public.auth_user", state(300, 5, 5, 0)],
  ])
  const after = new Map([
    ["public.core_release", state(101, 1_000_000, 1_000_000, 0)],
    ["public.django_migrations", state(200, 21, 21, 42)],
    ["public.auth_user", state(300, 5, 5, 0)],
    ["public.core_new", state(400, 0, 0, 0)],
  ])
  const watch = {
    spans: [
      { table: "public.core_release", mode: "AccessShareLock" as const, longestMs: 3000, holds: 1 },
      { table: "public.core_release", mode: "AccessExclusiveLock" as const, longestMs: 2611.27, holds: 1 },
      { table: "public.django_migrations", mode: "RowExclusiveLock" as const, longestMs: 11, holds: 3 },
    ],
    sampleMs: 0.84,
    samples: 5000,
  }

  it("keeps, per table that existed before, the strongest lock with its span, the rewrite and the rows; leaves out untouched and new tables", () => {
    expect(
      measureMigration({ app: "core", name: "0003_release_build_id" }, { wallMs: 5123.456 }, before, after, watch),
    ).to.deep.equal({
      app: "core",
      name: "0003_release_build_id",
      result: "applied",
      wallMs: 5123.5,
      sampleMs: 0.8,
      tables: [
        {
          table: "public.core_release",
          lock: "AccessExclusiveLock",
          heldMs: 2611.3,
          holds: 1,
          rewritten: true,
          rewrittenRows: 1_000_000,
          written: 0,
          read: 0,
        },
        {
          table: "public.django_migrations",
          lock: "RowExclusiveLock",
          heldMs: 11,
          holds: 3,
          rewritten: false,
          rewrittenRows: null,
          written: 1,
          read: 2,
        },
      ],
    })
  })

  it("marks a migration whose command failed, with the error", () => {
    const failed = measureMigration(
      { app: "core", name: "0004_x" },
      { wallMs: 10, error: "exited 1: boom" },
      before,
      before,
      { spans: [], sampleMs: 1, samples: 10 },
    )
    expect(failed).to.deep.equal({
      app: "core",
      name: "0004_x",
      result: "failed",
      wallMs: 10,
      sampleMs: 1,
      tables: [],
      error: "exited 1: boom",
    })
  })

  it("renders the per-migration table", () => {
    const report: RehearsalReport = {
      env: "production",
      image: "registry.example.com/acme/webapp@sha256:0123",
      digest: "sha256:0123",
      source: "backup production-20261206T070000Z-0123456789ab",
      scratch: "dp_rehearse_production_0123_c0ffee",
      passed: false,
      startedAt: "2026-12-06T07:00:00.000Z",
      finishedAt: "2026-12-06T07:00:09.000Z",
      migrations: [
        measureMigration({ app: "core", name: "0003_release_build_id" }, { wallMs: 5123.456 }, before, after, watch),
        measureMigration({ app: "core", name: "0004_x" }, { wallMs: 812, error: "exited 1: boom" }, after, after, {
          spans: [],
          sampleMs: 1,
          samples: 10,
        }),
        notRun({ app: "shop", name: "0001_initial" }),
      ],
    }
    expect(renderRehearsalText(report)).to.equal(
      [
        "rehearsal of registry.example.com/acme/webapp@sha256:0123 for production, on backup production-20261206T070000Z-0123456789ab, restored into dp_rehearse_production_0123_c0ffee (dropped)",
        "migration                   result   wall      table                        strongest lock       held                    rewrite               rows written  rows read",
        "core.0003_release_build_id  applied  5.12 s    public.core_release          AccessExclusiveLock  2.61 s                  yes (1,000,000 rows)  0             0",
        "                                               public.django_migrations     RowExclusiveLock     11.0 ms (longest of 3)  no                    1             2",
        "core.0004_x                 failed   812.0 ms  (no existing table touched)",
        "shop.0001_initial           not run  -",
        "locks sampled about every 1.0 ms; held = the longest run of consecutive samples that saw the lock, so a lock held for less than one sample may show as 0 ms or not at all; wall includes the container's and Django's start",
        "failed: core.0004_x failed on the copy:",
        "exited 1: boom",
      ].join("\n"),
    )
  })
})
