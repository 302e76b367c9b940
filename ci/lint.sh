#!/usr/bin/env bash
# Lint the app: ruff, hadolint and the environments config (`dagger call lint`).
set -euo pipefail

USAGE="usage: ci/lint.sh    lint the app (dagger call lint)"
# shellcheck source-path=SCRIPTDIR source=scripts/lib.sh
source "$(dirname "$0")/scripts/lib.sh"

(($# == 0)) || usage_error "ci/lint.sh takes no arguments"

cd "$(dirname "$0")/.."
exec dagger call lint
