#!/usr/bin/env bash
# There is no standalone backup command, and this script does not pretend to be one.
# Production's backup (pg_dump -Fc, sha256, verified by a restore into a scratch database) is a
# step of the production deploy itself: `deploy-pipeline deploy --env production` (dump kept on
# that machine) and `dagger call deploy --env production` (dump kept on the Docker host) take it
# after the lock and preflight and before any migration or container changes, and record its id
# in the ledger. This prints the production plan (`deploy-pipeline plan --env production`), whose
# "backup" step shows where the dump goes, whether it is verified and how many are kept, so the
# approver sees it before approving. `--no` keeps npx from ever downloading a package of that
# name: it must run the repository's own bin (bin/deploy-pipeline.js) after `npm ci`.
set -euo pipefail

USAGE="usage: ci/scripts/backup-production.sh    show the production plan and its backup step (npx deploy-pipeline plan --env production)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

(($# == 0)) || usage_error "ci/scripts/backup-production.sh takes no arguments"

cd "$(dirname "$0")/../.."
exec npx --no deploy-pipeline plan --env production
