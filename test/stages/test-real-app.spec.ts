/**
 * The test stage's commands run for real, outside Dagger, on the reference app: the argv from
 * testStageExecs() (what test.ts sends to withExec; pipelines.spec.ts checks that against the
 * recorded pipeline) and the env from testEnvironment(), with the app's venv from
 * ci/setup/python.sh, against a throwaway PostgreSQL 15 whose data is on tmpfs, the machine's
 * Memcached and RabbitMQ. Only the container's paths and the bindings' aliases are translated
 * (stage-on-host.ts). The stage's readiness script is not run here: it names the bindings' hosts
 * (db, cache, queue); pg_ctl -w and requireService wait for the same services instead.
 */
import { expect } from "chai"
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { STAGE_INPUTS } from "../../core/constants.js"
import type { ExecResult } from "../../core/exec/types.js"
import {
  APP_DIR,
  REPORTS_DIR,
  makemigrationsCheck,
  testEnvironment,
  testStageExecs,
} from "../../core/stages/commands.js"
import { requireService } from "../health/support/net.js"
import { DJANGO_APP } from "../helpers/dagger.js"
import { requireDjangoVenv } from "../helpers/django-venv.js"
import { shippedEnvironment } from "../helpers/environments.js"
import { copyFiltered, hostArgv, hostTestEnvironment, runOnHost, venvEnvironment } from "../helpers/stage-on-host.js"
import { coveragePercent, readJunit } from "../helpers/test-reports.js"
import { type ThrowawayPostgres, startThrowawayPostgres } from "../helpers/throwaway-postgres.js"

/** The app's test methods, counted in its source: every one must reach the JUnit report. */
function testMethodsInSource(): number {
  const dir = join(DJANGO_APP, "core", "tests")
  return readdirSync(dir)
    .filter((name) => name.startsWith("test_"))
    .reduce((count, name) => count + (readFileSync(join(dir, name), "utf8").match(/^ {4}def test_/gm) ?? []).length, 0)
}

describe("test stage on the real app (Django 5.2, throwaway Postgres 15 on tmpfs, Memcached, RabbitMQ)", function () {
  this.timeout(120_000)
  // `dagger call test` tests with the testing environment unless told otherwise.
  const { config } = shippedEnvironment("testing")
  const stageEnv = testEnvironment(config.app.settings_module)
  const scratch: string[] = []
  let postgres: ThrowawayPostgres | undefined

  /** The app as the test stage copies it (source minus docs and CI config), in a fresh folder with room for /reports. */
  function stageCopy(edit?: (app: string) => void): { app: string; reports: string } {
    const root = mkdtempSync(join(tmpdir(), "dp-test-stage-"))
    scratch.push(root)
    const app = join(root, "app")
    copyFiltered(DJANGO_APP, app, { exclude: STAGE_INPUTS.appExclude })
    edit?.(app)
    return { app, reports: join(root, "reports") }
  }

  /** One of the stage's execs, run in the app's folder with the stage's env made local. */
  function stageExec(argv: readonly string[], where: { app: string; reports: string }): ExecResult {
    const paths = { [APP_DIR]: where.app, [REPORTS_DIR]: where.reports }
    const services = {
      postgres: postgres!,
      memcached: "127.0.0.1:11211",
      rabbitmqUrl: "amqp://guest:guest@127.0.0.1:5672//",
    }
    return runOnHost(hostArgv(argv, paths), where.app, venvEnvironment(hostTestEnvironment(stageEnv, services, paths)))
  }

  before(async () => {
    requireDjangoVenv()
    await requireService("Memcached", 11211)
    await requireService("RabbitMQ", 5672)
    postgres = await startThrowawayPostgres([stageEnv.POSTGRES_DB!])
  })
  after(() => {
    postgres?.stop()
    scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true }))
  })

  it("runs the stage's execs after readiness: makemigrations --check, then the tests", () => {
    const [readiness, ...rest] = testStageExecs(config.tests)
    expect(readiness![2]).to.include("pg_isready --host db")
    expect(rest[0]).to.deep.equal(makemigrationsCheck())
  })

  it("makemigrations --check: the app's migrations are in step with its models", () => {
    const [, makemigrations] = testStageExecs(config.tests)
    const run = stageExec(makemigrations!, stageCopy())
    expect(run.exitCode, run.stderr).to.equal(0)
    expect(run.stdout.trim()).to.equal("No changes detected")
  })

  it("makemigrations --check fails on a model change that has no migration", () => {
    const where = stageCopy((app) => {
      const models = join(app, "core", "models.py")
      writeFileSync(
        models,
        readFileSync(models, "utf8").replace(
          "    notes = models.TextField(blank=True)\n",
          "    notes = models.TextField(blank=True)\n    approved_by = models.CharField(max_length=64, blank=True)\n",
        ),
      )
    })
    const run = stageExec(makemigrationsCheck(), where)
    expect(run.exitCode).to.equal(1)
    expect(run.stdout.trim().split("\n")).to.deep.equal([
      "Migrations for 'core':",
      "  core/migrations/0002_release_approved_by.py",
      "    + Add field approved_by to release",
    ])
    expect(
      existsSync(join(where.app, "core", "migrations", "0002_release_approved_by.py")),
      "--dry-run writes no migration",
    ).to.equal(false)
  })

  it("the test script: every test passes against the real services, with JUnit XML and coverage in /reports", () => {
    const [, , tests] = testStageExecs(config.tests)
    const where = stageCopy()
    const run = stageExec(tests!, where)
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).to.equal(0)

    const expected = testMethodsInSource()
    expect(expected).to.equal(43)
    const junit = readJunit(readFileSync(join(where.reports, "junit", "junit.xml"), "utf8"))
    expect({
      tests: junit.tests,
      failures: junit.failures,
      errors: junit.errors,
      skipped: junit.skipped,
    }).to.deep.equal({ tests: expected, failures: 0, errors: 0, skipped: 0 })
    expect(junit.testcases).to.have.length(expected)
    // The one test that needs Postgres, Memcached and RabbitMQ all at once ran and passed.
    expect(junit.testcases).to.include("core.tests.test_health.HealthyTests.test_all_checks_ok")
    expect(run.stderr).to.match(new RegExp(`^Ran ${expected} tests in [\\d.]+s\\n\\nOK$`, "m"))

    const percent = coveragePercent(readFileSync(join(where.reports, "coverage.xml"), "utf8"))
    const total = run.stdout.match(/^TOTAL\s.*\s(\d+)%$/m)
    expect(total, run.stdout).to.not.equal(null)
    expect(Number(total![1])).to.equal(Math.round(percent))
    expect(percent).to.be.at.least(85) // .coveragerc's fail_under, which `coverage report` enforces too
    expect(existsSync(join(where.reports, "coverage-html", "index.html"))).to.equal(true)
  })
})
