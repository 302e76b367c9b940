/** What Django says about pending migrations, as data: showmigrations --plan parsed, the sqlmigrate command, its output split per migration. */
import { expect } from "chai"
import {
  SHOW_PLAN_COMMAND,
  describeMigrations,
  splitSqlmigrate,
  sqlmigrateCommand,
  unappliedInPlan,
} from "../../core/migrations/show-plan.js"

describe("migrations/show-plan", () => {
  it("lists showmigrations --plan", () => {
    expect(SHOW_PLAN_COMMAND).to.deep.equal(["python", "manage.py", "showmigrations", "--plan", "--no-color"])
  })

  it("takes the unapplied migrations of the plan, in plan order, with or without -v 2's suffixes", () => {
    const plan = [
      "[X]  contenttypes.0001_initial",
      "[X]  auth.0001_initial",
      "[X]  core.0001_initial",
      "[ ]  core.0002_release_deployed_at",
      "[ ]  auth.0012_alter_user_first_name_max_length ... (auth.0011_update_proxy_permissions)",
      "[ ]  core.0003_release_build_number",
      "",
    ].join("\n")
    expect(unappliedInPlan(plan)).to.deep.equal([
      { app: "core", name: "0002_release_deployed_at" },
      { app: "auth", name: "0012_alter_user_first_name_max_length" },
      { app: "core", name: "0003_release_build_number" },
    ])
    expect(unappliedInPlan("[X]  core.0001_initial\n")).to.deep.equal([])
    expect(unappliedInPlan("")).to.deep.equal([])
  })

  it("runs sqlmigrate for each in one shell, the names as arguments, stopping at the first failure", () => {
    expect(
      sqlmigrateCommand([
        { app: "core", name: "0002_a" },
        { app: "auth", name: "0012_b" },
      ]),
    ).to.deep.equal([
      "sh",
      "-c",
      'for m do echo "-- deploy-pipeline sqlmigrate $m"; python manage.py sqlmigrate --no-color "${m%%.*}" "${m#*.}" || exit $?; done',
      "sh",
      "core.0002_a",
      "auth.0012_b",
    ])
  })

  it("splits that output back into one file per migration, numbered in plan order; an empty one stays empty", () => {
    const stdout = [
      "-- deploy-pipeline sqlmigrate core.0002_a",
      "BEGIN;",
      "--",
      "-- Add field a to release",
      "--",
      'ALTER TABLE "core_release" ADD COLUMN "a" integer NULL;',
      "COMMIT;",
      "-- deploy-pipeline sqlmigrate auth.0006_require_contenttypes_0002",
      "-- deploy-pipeline sqlmigrate core.0003_b",
      'ALTER TABLE "core_release" ALTER COLUMN "id" TYPE bigint;',
      "",
    ].join("\n")
    expect(splitSqlmigrate(stdout)).to.deep.equal([
      {
        path: "0001_core_0002_a.sql",
        content:
          'BEGIN;\n--\n-- Add field a to release\n--\nALTER TABLE "core_release" ADD COLUMN "a" integer NULL;\nCOMMIT;\n',
      },
      { path: "0002_auth_0006_require_contenttypes_0002.sql", content: "" },
      { path: "0003_core_0003_b.sql", content: 'ALTER TABLE "core_release" ALTER COLUMN "id" TYPE bigint;\n' },
    ])
    expect(splitSqlmigrate("")).to.deep.equal([])
  })

  it("names migrations as app.name", () => {
    expect(
      describeMigrations([
        { app: "core", name: "0002_a" },
        { app: "auth", name: "0012_b" },
      ]),
    ).to.equal("core.0002_a, auth.0012_b")
  })
})
