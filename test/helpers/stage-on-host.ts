/**
 * Runs what a stage's container runs, on this machine: the stage's own argv and environment (from
 * core/stages/commands.ts, the builders the stage passes to withExec), with only the container's
 * paths and the service bindings' aliases replaced by where they are here. Each replacement is
 * listed, and an environment value this file does not expect is an error, so a change to the stage
 * shows up here instead of quietly running something else.
 */
import { spawnSync } from "node:child_process"
import { cpSync, mkdirSync, readdirSync } from "node:fs"
import { dirname, join, matchesGlob, relative } from "node:path"
import { type ExecResult } from "../../core/exec/types.js"
import { DJANGO_VENV } from "./django-venv.js"

/** Container path → host path, e.g. { "/src": "/tmp/dp-lint-x/python" }. */
export type PathMap = Readonly<Record<string, string>>

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
/** A container path where it starts a word and ends at a separator: "/reports" in "-o /reports/x", not in "/app/reports". */
const pathPattern = (from: string) => new RegExp(`(?<![\\w./-])${escape(from)}(?=$|[/\\s"'])`, "g")

export function toHost(text: string, paths: PathMap): string {
  return Object.entries(paths).reduce((out, [from, to]) => out.replace(pathPattern(from), to), text)
}

/** Output as the stage would print it: host paths turned back into the container's. */
export function toContainer(text: string, paths: PathMap): string {
  return Object.entries(paths).reduce((out, [from, to]) => out.split(to).join(from), text)
}

export const hostArgv = (argv: readonly string[], paths: PathMap): string[] => argv.map((arg) => toHost(arg, paths))

export interface HostServices {
  postgres: { host: string; port: number }
  memcached: string
  rabbitmqUrl: string
}

/** What each aliased variable of the test stage's env holds in the container, and what it holds here. */
const ALIASED: Record<string, { container: string; host: (s: HostServices) => string }> = {
  POSTGRES_HOST: { container: "db", host: (s) => s.postgres.host },
  POSTGRES_PORT: { container: "5432", host: (s) => String(s.postgres.port) },
  MEMCACHED_LOCATION: { container: "cache:11211", host: (s) => s.memcached },
  RABBITMQ_URL: { container: "amqp://guest:guest@queue:5672//", host: (s) => s.rabbitmqUrl },
}

/** The test stage's environment with the services' aliases and the container's paths made local. */
export function hostTestEnvironment(
  stageEnv: Readonly<Record<string, string>>,
  services: HostServices,
  paths: PathMap,
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(stageEnv)) {
    const aliased = ALIASED[name]
    if (aliased && value !== aliased.container)
      throw new Error(
        `the test stage sets ${name}=${value}; stage-on-host.ts translates only ${aliased.container}: update ALIASED`,
      )
    env[name] = aliased ? aliased.host(services) : toHost(value, paths)
  }
  const unset = Object.keys(ALIASED).filter((name) => !(name in stageEnv))
  if (unset.length > 0)
    throw new Error(`the test stage no longer sets ${unset.join(", ")}: update ALIASED in stage-on-host.ts`)
  return env
}

/**
 * A container-like environment: the venv first on PATH (its python, coverage, ruff, hadolint), a
 * home and a UTF-8 locale, then `env`. Nothing else of this process leaks in (no PG*, no CI).
 */
export function venvEnvironment(env: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    PATH: `${join(DJANGO_VENV, "bin")}:/usr/local/bin:/usr/bin:/bin`,
    HOME: process.env.HOME ?? "/root",
    LANG: "C.UTF-8",
    VIRTUAL_ENV: DJANGO_VENV,
    ...env,
  }
}

/** Runs argv in cwd (no shell of its own) and returns its exit code and output. */
export function runOnHost(
  argv: readonly string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs = 120_000,
): ExecResult {
  const [program, ...args] = argv
  const result = spawnSync(program!, args, {
    cwd,
    env,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  })
  if (result.error) throw new Error(`${argv.join(" ")} did not run: ${result.error.message}`)
  return { exitCode: result.status ?? 128, stdout: result.stdout, stderr: result.stderr }
}

/** Files of `root` (relative paths, sorted), without caches and build output. */
function files(root: string, under = root): string[] {
  return readdirSync(under, { withFileTypes: true })
    .filter((entry) => !["__pycache__", ".ruff_cache", "reports", "staticfiles"].includes(entry.name))
    .flatMap((entry) =>
      entry.isDirectory() ? files(root, join(under, entry.name)) : [relative(root, join(under, entry.name))],
    )
    .sort()
}

/** Copies what a stage's `source.filter({ include })` or `{ exclude }` would hand its container. */
export function copyFiltered(
  from: string,
  to: string,
  filter: { include: readonly string[] } | { exclude: readonly string[] },
): string[] {
  const picked = files(from).filter((path) =>
    "include" in filter
      ? filter.include.some((p) => matchesGlob(path, p))
      : !filter.exclude.some((p) => matchesGlob(path, p) || matchesGlob(path, `${p}**`)),
  )
  for (const path of picked) {
    mkdirSync(dirname(join(to, path)), { recursive: true })
    cpSync(join(from, path), join(to, path))
  }
  return picked
}
