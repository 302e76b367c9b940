#!/usr/bin/env bash
# The pull-request gate: lint, test, scan and build concurrently (`dagger call ci`), failing with
# a summary of every stage that failed. ENV picks the test and scan settings (default: testing).
set -euo pipefail

USAGE="usage: ci/ci.sh [ENV]    run lint, test, scan and build (dagger call ci --env ENV)"
# shellcheck source-path=SCRIPTDIR source=scripts/lib.sh
source "$(dirname "$0")/scripts/lib.sh"

(($# <= 1)) || usage_error "ci/ci.sh takes at most one argument"
env="${1:-testing}"
check_env "$env"

cd "$(dirname "$0")/.."
exec dagger call ci --env "$env"
