#!/usr/bin/env bash
# Run Django's tests against real services and export the JUnit XML and coverage reports to
# ./reports at the repository root, for the CI vendor's test-report upload.
set -euo pipefail

USAGE="usage: ci/test.sh [ENV]    run the tests, reports to ./reports (dagger call test --env ENV export --path reports)"
# shellcheck source-path=SCRIPTDIR source=scripts/lib.sh
source "$(dirname "$0")/scripts/lib.sh"

(($# <= 1)) || usage_error "ci/test.sh takes at most one argument"
env="${1:-testing}"
check_env "$env"

cd "$(dirname "$0")/.."
exec dagger call test --env "$env" export --path reports
