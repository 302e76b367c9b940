#!/usr/bin/env bash
# Installs promtool from Debian's prometheus package (2.42.x on bookworm) so the alert-rule tests
# can run `promtool check rules` and `promtool test rules`. Only the tool is wanted: the server
# is never started (policy-rc.d keeps the package's maintainer scripts from starting it, and
# --no-install-recommends leaves the exporters out). Idempotent: when promtool is already on PATH
# it only prints the version.
set -euo pipefail

say() { printf '[prometheus.sh] %s\n' "$*"; }

if command -v promtool >/dev/null 2>&1; then
  say "promtool already installed: $(promtool --version 2>&1 | head -n 1)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root to install Debian's prometheus package" >&2
  exit 1
fi

say "installing prometheus (for promtool) from Debian"
bash "$(dirname "$0")/apt-install.sh" prometheus

if ! command -v promtool >/dev/null 2>&1; then
  say "the prometheus package installed, but promtool is not on PATH" >&2
  exit 1
fi
say "installed: $(promtool --version 2>&1 | head -n 1)"
