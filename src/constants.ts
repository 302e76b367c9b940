/**
 * Names and pins shared by the Dagger surface. Every container image the module uses will be
 * pinned here, in one place.
 */

/** Paths never sent to the engine with the source: VCS data, dependencies, caches, virtualenvs. */
export const SOURCE_IGNORE = [
  ".git",
  "**/node_modules",
  "**/__pycache__",
  "**/.pytest_cache",
  "**/.mypy_cache",
  "**/.ruff_cache",
  "**/.venv",
  "**/venv",
  "**/.tox",
  "**/*.pyc",
  "sdk",
  ".tmp",
]

/** Where environments live in the source, unless `--environments` names another folder. */
export const ENVIRONMENTS_DIR = "environments"
