/** The stages' commands, exactly: what runs in each container is reviewed here, not in an engine. */
import { expect } from "chai"
import { matchesGlob } from "node:path"
import { STAGE_INPUTS, scanTargetName } from "../../core/constants.js"
import {
  hadolint,
  lintToolChecks,
  makemigrationsCheck,
  pipInstall,
  ruffCheck,
  ruffFormatCheck,
  scanSettings,
  testEnvironment,
  testScript,
  testStageExecs,
  trivyGate,
  trivyScan,
  trivyToSarif,
  waitForServicesScript,
} from "../../core/stages/commands.js"
import { shippedEnvironment } from "../helpers/environments.js"

describe("stages/commands", () => {
  it("lints with ruff (check, format) and hadolint", () => {
    expect(ruffCheck()).to.deep.equal(["/ruff", "check", "--no-cache", "--output-format", "concise", "."])
    expect(ruffFormatCheck()).to.deep.equal(["/ruff", "format", "--no-cache", "--check", "--diff", "."])
    expect(hadolint()).to.deep.equal(["hadolint", "--no-color", "--failure-threshold", "warning", "/src/Dockerfile"])
    expect(lintToolChecks()).to.deep.equal([
      { name: "ruff check", image: "ruff", argv: ruffCheck() },
      { name: "ruff format --check", image: "ruff", argv: ruffFormatCheck() },
      { name: "hadolint Dockerfile", image: "hadolint", argv: hadolint() },
    ])
  })

  it("tests in order: services ready, migrations in step with the models, then the suite", () => {
    const { tests } = shippedEnvironment("testing").config
    expect(testStageExecs(tests)).to.deep.equal([
      ["sh", "-c", waitForServicesScript()],
      makemigrationsCheck(),
      ["sh", "-c", testScript(tests)],
    ])
  })

  it("installs dependencies from requirements.txt and checks migrations against models", () => {
    expect(pipInstall()).to.deep.equal([
      "sh",
      "-c",
      'if [ -f requirements-test.txt ]; then set -- requirements-test.txt; else set -- requirements.txt; fi; pip install --disable-pip-version-check --requirement "$1"',
    ])
    expect(makemigrationsCheck()).to.deep.equal([
      "python",
      "manage.py",
      "makemigrations",
      "--check",
      "--dry-run",
      "--no-input",
    ])
  })

  it("waits for real readiness: pg_isready, a memcached round-trip, an AMQP connection", () => {
    expect(waitForServicesScript(90).split("\n")).to.deep.equal([
      "set -eu",
      "deadline=$(( $(date +%s) + 90 ))",
      'wait_for() { name="$1"; shift; until "$@" >/dev/null 2>&1; do',
      '  if [ "$(date +%s)" -ge "$deadline" ]; then echo "$name was not ready after 90s" >&2; exit 1; fi',
      '  sleep 0.5; done; echo "$name ready"; }',
      "wait_for postgres pg_isready --host db --port 5432 --username postgres --timeout 2",
      `wait_for memcached python -c "from pymemcache.client.base import Client; Client(('cache', 11211), connect_timeout=2, timeout=2).version()"`,
      `wait_for rabbitmq python -c "import kombu; kombu.Connection('amqp://guest:guest@queue:5672//', connect_timeout=2).connect().close()"`,
    ])
  })

  it("runs Django's tests in parallel under coverage, writing JUnit XML and coverage to /reports", () => {
    expect(testScript(shippedEnvironment("testing").config.tests).split("\n")).to.deep.equal([
      "set -eu",
      "mkdir -p /reports/junit",
      "coverage run --parallel-mode --concurrency=multiprocessing manage.py test --parallel auto --noinput --verbosity 2",
      "coverage combine",
      "coverage xml -o /reports/coverage.xml",
      "coverage html -d /reports/coverage-html",
      "coverage report",
    ])
    expect(testScript({ tmpfs_database: true, parallel: 4, coverage: false }).split("\n")).to.deep.equal([
      "set -eu",
      "mkdir -p /reports/junit",
      "python manage.py test --parallel 4 --noinput --verbosity 2",
    ])
  })

  it("points the app at the bound services by their aliases", () => {
    expect(testEnvironment("config.settings.testing")).to.deep.equal({
      DJANGO_SETTINGS_MODULE: "config.settings.testing",
      SECRET_KEY: "test-only-not-secret",
      POSTGRES_HOST: "db",
      POSTGRES_PORT: "5432",
      POSTGRES_DB: "app",
      POSTGRES_USER: "postgres",
      MEMCACHED_LOCATION: "cache:11211",
      RABBITMQ_URL: "amqp://guest:guest@queue:5672//",
      TEST_OUTPUT_DIR: "/reports/junit",
      PYTHONDONTWRITEBYTECODE: "1",
    })
  })

  it("scans with Trivy: everything into JSON, SARIF converted, the gate at the environment's severities", () => {
    const production = scanSettings(shippedEnvironment("production").config)
    const staging = scanSettings(shippedEnvironment("staging").config)
    expect(production).to.deep.equal({ severity: ["CRITICAL", "HIGH", "MEDIUM"], ignoreUnfixed: false })
    expect(staging).to.deep.equal({ severity: ["CRITICAL", "HIGH"], ignoreUnfixed: true })
    expect(trivyScan("image", "/images/x.tar", "/reports/x.json", staging)).to.deep.equal([
      "trivy",
      "image",
      "--cache-dir",
      "/root/.cache/trivy",
      "--quiet",
      "--scanners",
      "vuln,secret",
      "--image-config-scanners",
      "misconfig,secret",
      "--ignore-unfixed",
      "--exit-code",
      "0",
      "--format",
      "json",
      "--output",
      "/reports/x.json",
      "--input",
      "/images/x.tar",
    ])
    expect(trivyScan("fs", "/src", "/reports/source.json", production)).to.deep.equal([
      "trivy",
      "fs",
      "--cache-dir",
      "/root/.cache/trivy",
      "--quiet",
      "--scanners",
      "vuln,secret,misconfig",
      "--exit-code",
      "0",
      "--format",
      "json",
      "--output",
      "/reports/source.json",
      "/src",
    ])
    expect(trivyToSarif("/reports/x.json", "/reports/x.sarif")).to.deep.equal([
      "trivy",
      "convert",
      "--format",
      "sarif",
      "--output",
      "/reports/x.sarif",
      "/reports/x.json",
    ])
    expect(trivyGate("/reports/x.json", production)).to.deep.equal([
      "trivy",
      "convert",
      "--format",
      "table",
      "--severity",
      "CRITICAL,HIGH,MEDIUM",
      "--exit-code",
      "1",
      "/reports/x.json",
    ])
    expect(["source", "linux/amd64", "linux/arm64/v8"].map(scanTargetName)).to.deep.equal([
      "source",
      "image-linux-amd64",
      "image-linux-arm64-v8",
    ])
  })

  it("narrows each stage's inputs so docs and README changes touch none of them", () => {
    const files = [
      "README.md",
      "docs/guide.md",
      "core/README.md",
      "requirements.txt",
      "requirements-dev.txt",
      "manage.py",
      "core/views.py",
      "Dockerfile",
      "environments/staging.yaml",
      "ci/deploy.sh",
      ".github/workflows/ci.yml",
      "pyproject.toml",
    ]
    const included = (patterns: readonly string[]) => files.filter((f) => patterns.some((p) => matchesGlob(f, p)))
    const excluded = (patterns: readonly string[]) =>
      files.filter((f) => !patterns.some((p) => matchesGlob(f, p) || matchesGlob(f, `${p}**`)))
    expect(included(STAGE_INPUTS.dependencies)).to.deep.equal(["requirements.txt", "requirements-dev.txt"])
    expect(included(STAGE_INPUTS.python)).to.deep.equal(["manage.py", "core/views.py", "pyproject.toml"])
    expect(included(STAGE_INPUTS.dockerfile)).to.deep.equal(["Dockerfile"])
    expect(excluded(STAGE_INPUTS.appExclude)).to.deep.equal([
      "requirements.txt",
      "requirements-dev.txt",
      "manage.py",
      "core/views.py",
      "Dockerfile",
      "pyproject.toml",
    ])
  })
})
