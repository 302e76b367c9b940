#!/usr/bin/env bash
# Installs Debian's wrk (the HTTP load generator `deploy-pipeline load-test` runs from the CLI).
# Idempotent: when wrk is already on PATH it only reports its version.
set -euo pipefail

say() { printf '[wrk.sh] %s\n' "$*"; }

# `wrk -v` prints its version banner and exits 1, so its exit status is ignored.
wrk_version() { wrk -v 2>&1 | head -n 1 || true; }

if command -v wrk >/dev/null 2>&1; then
  say "already installed: $(wrk_version)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root" >&2
  exit 1
fi

say "installing wrk from Debian"
bash "$(dirname "$0")/apt-install.sh" wrk
say "installed: $(wrk_version)"
