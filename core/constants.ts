/**
 * Names and pins shared by the Dagger surface: every container image the module runs is
 * pinned here, in one place, with the paths each stage reads from the source.
 *
 * Images are pinned to exact version tags. Digests are not added yet: no registry is reachable
 * from where this module is developed, so a digest could not be read or checked here, and a
 * wrong digest fails every run. `dagger call` users who need digest pins can override the tag
 * arguments; pinning digests is tracked in the README's "Verified elsewhere".
 */

export const IMAGES = {
  /** The app's base image, passed to the Dockerfile as PYTHON_IMAGE and used by the test stage. */
  python: "python:3.12.8-slim-bookworm",
  postgres: "postgres:17.2",
  memcached: "memcached:1.6.34-alpine",
  rabbitmq: "rabbitmq:3.13.7-alpine",
  ruff: "ghcr.io/astral-sh/ruff:0.8.4",
  hadolint: "hadolint/hadolint:v2.12.0",
  trivy: "aquasec/trivy:0.58.1",
  /** The swarm driver's proxy and the dev front; it needs sh and wget (alpine's busybox) for switches and probes. */
  caddy: "caddy:2.8.4-alpine",
  /**
   * The compose driver's blue-green proxy (LTS branch 3.0). Alpine's busybox gives it the sh, nc
   * (runtime API), wget and timeout (probes) the driver runs inside it; it runs as user haproxy,
   * which owns /var/lib/haproxy, where the last route's config is kept.
   */
  haproxy: "haproxy:3.0.7-alpine",
  /** The docker CLI that deploys run in under Dagger. */
  dockerCli: "docker:27.4.1-cli",
} as const

/** The default image creation time: the epoch, as reproducible builds use, so equal sources give equal digests. */
export const REPRODUCIBLE_CREATED = "1970-01-01T00:00:00Z"

export const DEFAULT_PLATFORMS = ["linux/amd64", "linux/arm64"] as const

/** Cache volumes: dependency downloads and the Trivy vulnerability database survive between runs. */
export const CACHE_VOLUMES = {
  pip: "deploy-pipeline-pip",
  trivy: "deploy-pipeline-trivy-db",
} as const

/** Paths never sent to the engine with the source: VCS data, dependencies, caches, virtualenvs. */
export const SOURCE_IGNORE = [
  ".git",
  "**/node_modules",
  "**/__pycache__",
  "**/.pytest_cache",
  "**/.mypy_cache",
  "**/.ruff_cache",
  "**/.venv",
  ".venv-django",
  "**/venv",
  "**/.tox",
  "**/*.pyc",
  "sdk",
  ".tmp",
]

/** Where environments live in the source, unless `--environments` names another folder. */
export const ENVIRONMENTS_DIR = "environments"

/**
 * What each stage reads from the source. Narrow inputs keep Dagger's cache warm: a change to the
 * README or docs changes none of them, and only a requirements change reinstalls dependencies.
 */
export const STAGE_INPUTS = {
  /** The dependency layer: requirements files only. */
  dependencies: ["requirements*.txt"],
  /** The app as tests and builds see it: everything but docs, CI config and deploy config. */
  appExclude: [
    "**/*.md",
    "docs/",
    "environments/",
    "ci/",
    ".github/",
    ".gitlab-ci.yml",
    ".circleci/",
    "Jenkinsfile",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    ".dagger/",
  ],
  /** ruff: Python files and its configuration. */
  python: ["**/*.py", "pyproject.toml", "ruff.toml", ".ruff.toml"],
  /** hadolint: the Dockerfile and its configuration. */
  dockerfile: ["Dockerfile", ".hadolint.yaml", ".hadolint.yml"],
} as const

/** Where the scan stage writes its reports in the scanner container. */
export const SCAN_REPORTS_DIR = "/reports"

/** Report file names for a scan target: "source", or a platform such as linux/arm64. */
export const scanTargetName = (target: string): string =>
  target === "source" ? "source" : `image-${target.replace(/\//g, "-")}`
