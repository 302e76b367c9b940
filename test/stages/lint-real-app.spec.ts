/**
 * The lint stage's checks run for real, outside Dagger, on the reference app: the argv from
 * lintToolChecks() (what lint.ts sends to withExec; pipelines.spec.ts checks that against the
 * recorded pipeline), ruff and hadolint from the app's venv at the versions the stage's images pin,
 * each check's input narrowed as the stage narrows it. The app passes; a seeded defect per tool, in
 * a temporary copy, fails the same argv with the tool's own message in the stage's own report.
 */
import { expect } from "chai"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { IMAGES, STAGE_INPUTS } from "../../core/constants.js"
import { LINT_SOURCE_DIR, RUFF_BIN, lintToolChecks } from "../../core/stages/commands.js"
import { type CheckResult, checkResult, renderChecks } from "../../core/stages/report.js"
import { DJANGO_APP } from "../helpers/dagger.js"
import { requireDjangoVenv, toolVersion, venvBin } from "../helpers/django-venv.js"
import { copyFiltered, hostArgv, runOnHost, toContainer, venvEnvironment } from "../helpers/stage-on-host.js"

/** What each lint container mounts at LINT_SOURCE_DIR (as lint.ts filters the source). */
const INPUTS = { ruff: STAGE_INPUTS.python, hadolint: STAGE_INPUTS.dockerfile } as const

describe("lint stage on the real app (ruff, hadolint from ci/setup/python.sh)", function () {
  this.timeout(60_000)
  const scratch: string[] = []
  const tempDir = (label: string) => {
    const dir = mkdtempSync(join(tmpdir(), `dp-lint-${label}-`))
    scratch.push(dir)
    return dir
  }

  /** Runs the stage's three tool checks on `app` and renders the stage's report. */
  function lintOnHost(app: string): { checks: CheckResult[]; report: string } {
    const checks = lintToolChecks().map((check) => {
      const source = tempDir(check.image)
      copyFiltered(app, source, { include: INPUTS[check.image] })
      const paths = { [RUFF_BIN]: venvBin("ruff"), [LINT_SOURCE_DIR]: source }
      const { exitCode, stdout, stderr } = runOnHost(hostArgv(check.argv, paths), source, venvEnvironment())
      return checkResult(check.name, exitCode, toContainer(stdout, paths), toContainer(stderr, paths))
    })
    return { checks, report: renderChecks("lint", checks) }
  }

  /** A copy of the app with one file changed. */
  function seeded(file: string, edit: (text: string) => string): string {
    const app = tempDir("app")
    copyFiltered(DJANGO_APP, app, { exclude: [] })
    const before = readFileSync(join(app, file), "utf8")
    const after = edit(before)
    expect(after, `the seed did not change ${file}`).to.not.equal(before)
    writeFileSync(join(app, file), after)
    return app
  }

  before(() => requireDjangoVenv())
  after(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

  it("runs the versions the stage's images pin", () => {
    expect(toolVersion("ruff")).to.equal(`ruff ${IMAGES.ruff.split(":")[1]}`)
    expect(toolVersion("hadolint")).to.equal(`Haskell Dockerfile Linter ${IMAGES.hadolint.split(":v")[1]}`)
  })

  it("passes on the app: all three checks, with the tools' own words", () => {
    expect(lintOnHost(DJANGO_APP).report).to.equal(
      [
        "lint: all 3 checks passed",
        "  ok   ruff check",
        "    All checks passed!",
        "  ok   ruff format --check",
        "    29 files already formatted",
        "  ok   hadolint Dockerfile",
      ].join("\n"),
    )
  })

  it("ruff check fails on an unused import, naming F401", () => {
    const app = seeded("core/views.py", (text) =>
      text.replace("from datetime import UTC, datetime\n", "import os\nfrom datetime import UTC, datetime\n"),
    )
    const { checks, report } = lintOnHost(app)
    expect(checks.map((c) => [c.name, c.exitCode])).to.deep.equal([
      ["ruff check", 1],
      ["ruff format --check", 0],
      ["hadolint Dockerfile", 0],
    ])
    expect(report).to.equal(
      [
        "lint: 1 of 3 checks failed",
        "  FAIL ruff check (exit 1)",
        "    core/views.py:1:8: F401 [*] `os` imported but unused",
        "    Found 1 error.",
        "    [*] 1 fixable with the `--fix` option.",
        "  ok   ruff format --check",
        "    29 files already formatted",
        "  ok   hadolint Dockerfile",
      ].join("\n"),
    )
  })

  it("ruff format --check fails on a badly formatted file, with the diff", () => {
    const app = seeded("core/apps.py", (text) => text.replace('name = "core"', "name='core'"))
    const { checks, report } = lintOnHost(app)
    expect(checks.map((c) => [c.name, c.exitCode])).to.deep.equal([
      ["ruff check", 0],
      ["ruff format --check", 1],
      ["hadolint Dockerfile", 0],
    ])
    expect(report).to.equal(
      [
        "lint: 1 of 3 checks failed",
        "  ok   ruff check",
        "    All checks passed!",
        "  FAIL ruff format --check (exit 1)",
        "    --- core/apps.py",
        "    +++ core/apps.py",
        "    @@ -3,5 +3,5 @@",
        "     ",
        "     class CoreConfig(AppConfig):",
        '         default_auto_field = "django.db.models.BigAutoField"',
        "    -    name='core'",
        '    +    name = "core"',
        '         verbose_name = "Core"',
        "    1 file would be reformatted, 28 files already formatted",
        "  ok   hadolint Dockerfile",
      ].join("\n"),
    )
  })

  it("hadolint fails on ADD for a local file, naming DL3020", () => {
    const app = seeded("Dockerfile", (text) => text.replace("COPY requirements.txt ./\n", "ADD requirements.txt ./\n"))
    const { checks, report } = lintOnHost(app)
    expect(checks.map((c) => [c.name, c.exitCode])).to.deep.equal([
      ["ruff check", 0],
      ["ruff format --check", 0],
      ["hadolint Dockerfile", 1],
    ])
    expect(report.split("\n").slice(-2)).to.deep.equal([
      "  FAIL hadolint Dockerfile (exit 1)",
      "    /src/Dockerfile:47 DL3020 error: Use COPY instead of ADD for files and folders",
    ])
  })

  it("hadolint fails on pip install without --no-cache-dir (nor PIP_NO_CACHE_DIR), naming DL3042", () => {
    const app = seeded("Dockerfile", (text) =>
      text
        .replace("    PIP_NO_CACHE_DIR=1 \\\n", "")
        .replace(
          "RUN pip install --no-cache-dir ${WHEELS:+--no-index --find-links /tmp/wheels} -r requirements-dev.txt",
          "RUN pip install ${WHEELS:+--no-index --find-links /tmp/wheels} -r requirements-dev.txt",
        ),
    )
    const { report } = lintOnHost(app)
    expect(report.split("\n").slice(-2)).to.deep.equal([
      "  FAIL hadolint Dockerfile (exit 1)",
      "    /src/Dockerfile:63 DL3042 warning: Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
    ])
  })
})
