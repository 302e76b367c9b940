#!/usr/bin/env bash
# Check ENV's pending migrations for locks, table rewrites and breaking changes before the deploy
# job runs them (`dagger call check-migrations --env ENV`, which asks the app for the pending
# migrations' SQL against ENV's database and fails on error findings). The deploy applies the
# same gate again; this step shows the findings on their own, before anyone approves.
set -euo pipefail

USAGE="usage: ci/scripts/check-migrations.sh ENV    check ENV's pending migrations (dagger call check-migrations --env ENV)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

(($# == 1)) || usage_error "ci/scripts/check-migrations.sh takes exactly one argument, ENV"
check_env "$1"

cd "$(dirname "$0")/../.."
exec dagger call check-migrations --env "$1"
