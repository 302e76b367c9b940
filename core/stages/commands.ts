/**
 * The commands the build stages run, as argv arrays and scripts: pure, so their exact text is
 * tested without an engine, and the Dagger layer only passes them to withExec.
 */
import type { EnvironmentConfig } from "../config/schema.js"

export const REPORTS_DIR = "/reports"
export const APP_DIR = "/app"

/** Where the lint containers see the source, and where the ruff image keeps its binary. */
export const LINT_SOURCE_DIR = "/src"
export const RUFF_BIN = "/ruff"

export const ruffCheck = (): string[] => [RUFF_BIN, "check", "--no-cache", "--output-format", "concise", "."]
export const ruffFormatCheck = (): string[] => [RUFF_BIN, "format", "--no-cache", "--check", "--diff", "."]
export const hadolint = (): string[] => [
  "hadolint",
  "--no-color",
  "--failure-threshold",
  "warning",
  `${LINT_SOURCE_DIR}/Dockerfile`,
]

/** A lint check the stage runs: its name in the report, the image (IMAGES key) it runs in, its argv. */
export interface LintToolCheck {
  name: string
  image: "ruff" | "hadolint"
  argv: string[]
}

/** The lint stage's tool checks, in report order (the environments config check follows them). */
export const lintToolChecks = (): LintToolCheck[] => [
  { name: "ruff check", image: "ruff", argv: ruffCheck() },
  { name: "ruff format --check", image: "ruff", argv: ruffFormatCheck() },
  { name: "hadolint Dockerfile", image: "hadolint", argv: hadolint() },
]

/** OS packages the test image needs beyond the app's: pg_isready for real database readiness. */
export const installTestTools = (): string[] => [
  "sh",
  "-c",
  "apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql-client >/dev/null && rm -rf /var/lib/apt/lists/*",
]

/** Test dependencies when the app splits them out (requirements-test.txt includes the app's), else the app's. */
export const pipInstall = (): string[] => [
  "sh",
  "-c",
  'if [ -f requirements-test.txt ]; then set -- requirements-test.txt; else set -- requirements.txt; fi; pip install --disable-pip-version-check --requirement "$1"',
]

/**
 * Waits for the bound services to be really ready, not just listening: pg_isready for
 * Postgres, a version round-trip for Memcached, an AMQP connection for RabbitMQ. Bounded.
 */
export function waitForServicesScript(deadlineSeconds = 120): string {
  return [
    "set -eu",
    `deadline=$(( $(date +%s) + ${deadlineSeconds} ))`,
    'wait_for() { name="$1"; shift; until "$@" >/dev/null 2>&1; do',
    `  if [ "$(date +%s)" -ge "$deadline" ]; then echo "$name was not ready after ${deadlineSeconds}s" >&2; exit 1; fi`,
    '  sleep 0.5; done; echo "$name ready"; }',
    "wait_for postgres pg_isready --host db --port 5432 --username postgres --timeout 2",
    `wait_for memcached python -c "from pymemcache.client.base import Client; Client(('cache', 11211), connect_timeout=2, timeout=2).version()"`,
    `wait_for rabbitmq python -c "import kombu; kombu.Connection('amqp://guest:guest@queue:5672//', connect_timeout=2).connect().close()"`,
  ].join("\n")
}

export const makemigrationsCheck = (): string[] => [
  "python",
  "manage.py",
  "makemigrations",
  "--check",
  "--dry-run",
  "--no-input",
]

/** What the test stage runs once its services are bound, in order: readiness, migrations in step with the models, the tests. */
export const testStageExecs = (tests: EnvironmentConfig["tests"]): string[][] => [
  ["sh", "-c", waitForServicesScript()],
  makemigrationsCheck(),
  ["sh", "-c", testScript(tests)],
]

/** Django's tests under coverage, in parallel, writing JUnit XML and coverage reports to /reports. */
export function testScript(tests: EnvironmentConfig["tests"]): string {
  const parallel = tests.parallel === "auto" ? "auto" : String(tests.parallel)
  const run = tests.coverage
    ? "coverage run --parallel-mode --concurrency=multiprocessing manage.py"
    : "python manage.py"
  const lines = [
    "set -eu",
    `mkdir -p ${REPORTS_DIR}/junit`,
    `${run} test --parallel ${parallel} --noinput --verbosity 2`,
  ]
  if (tests.coverage) {
    lines.push(
      "coverage combine",
      `coverage xml -o ${REPORTS_DIR}/coverage.xml`,
      `coverage html -d ${REPORTS_DIR}/coverage-html`,
      "coverage report",
    )
  }
  return lines.join("\n")
}

/** Environment the test exec sees: settings module, services by their binding aliases, reports dir. */
export function testEnvironment(settingsModule: string): Record<string, string> {
  return {
    DJANGO_SETTINGS_MODULE: settingsModule,
    SECRET_KEY: "test-only-not-secret",
    POSTGRES_HOST: "db",
    POSTGRES_PORT: "5432",
    POSTGRES_DB: "app",
    POSTGRES_USER: "postgres",
    MEMCACHED_LOCATION: "cache:11211",
    RABBITMQ_URL: "amqp://guest:guest@queue:5672//",
    TEST_OUTPUT_DIR: `${REPORTS_DIR}/junit`,
    PYTHONDONTWRITEBYTECODE: "1",
  }
}

export interface ScanSettings {
  severity: readonly string[]
  ignoreUnfixed: boolean
}

export function scanSettings(config: EnvironmentConfig): ScanSettings {
  return { severity: config.security.scan.severity, ignoreUnfixed: config.security.scan.ignore_unfixed }
}

/**
 * Trivy scans once and reports everything it finds (all severities) as JSON; SARIF is converted
 * from that JSON, and the gate is a second conversion filtered to the environment's severities
 * with `--exit-code 1`, so failing is Trivy's own verdict and nothing is hidden by the threshold.
 */
export function trivyScan(kind: "image" | "fs", target: string, jsonOut: string, settings: ScanSettings): string[] {
  return [
    "trivy",
    kind,
    "--cache-dir",
    "/root/.cache/trivy",
    "--quiet",
    ...(kind === "image"
      ? ["--scanners", "vuln,secret", "--image-config-scanners", "misconfig,secret"]
      : ["--scanners", "vuln,secret,misconfig"]),
    ...(settings.ignoreUnfixed ? ["--ignore-unfixed"] : []),
    "--exit-code",
    "0",
    "--format",
    "json",
    "--output",
    jsonOut,
    ...(kind === "image" ? ["--input", target] : [target]),
  ]
}

/** Converts a Trivy JSON report to SARIF without rescanning. */
export const trivyToSarif = (jsonIn: string, sarifOut: string): string[] => [
  "trivy",
  "convert",
  "--format",
  "sarif",
  "--output",
  sarifOut,
  jsonIn,
]

/** The gate: a table of the findings at the environment's severities, exit 1 when there are any. */
export const trivyGate = (jsonIn: string, settings: ScanSettings): string[] => [
  "trivy",
  "convert",
  "--format",
  "table",
  "--severity",
  settings.severity.join(","),
  "--exit-code",
  "1",
  jsonIn,
]
