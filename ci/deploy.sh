#!/usr/bin/env bash
# Deploy IMAGE (repo@sha256:… as publish prints it) to ENV through `dagger call deploy`.
# Staging and production need APPROVE=<env>@<first 12 hex of the digest>. This script never
# builds it: the vendor configs compute it only in the job that runs after the vendor's own
# approval (GitHub environment reviewers, GitLab manual job, CircleCI hold, Jenkins input, ...),
# so the token records that a person approved this very image for this environment.
set -euo pipefail

USAGE="usage: [APPROVE=ENV@DIGEST12] ci/deploy.sh ENV [IMAGE]
  deploy IMAGE (or \$IMAGE), pinned as repo@sha256:…, to ENV
  staging and production need APPROVE, set by the vendor's approval step
  optional: DEPLOY_SSH_KEY or DEPLOY_SSH_KEY_FILE, REQUESTED_BY"
# shellcheck source-path=SCRIPTDIR source=scripts/lib.sh
source "$(dirname "$0")/scripts/lib.sh"

(($# == 1 || $# == 2)) || usage_error "ci/deploy.sh takes ENV and an optional IMAGE"
env="$1"
check_env "$env"
image="${2:-${IMAGE:-}}"
[[ -n "$image" ]] || usage_error "no image: pass it as the second argument or set IMAGE"

approve=()
case "$env" in
  staging | production)
    [[ -n "${APPROVE:-}" ]] || usage_error "$env deploys need APPROVE=$env@<first 12 hex of the digest>, set only after the vendor's approval"
    approve=(--approve "$APPROVE")
    ;;
  *)
    [[ -z "${APPROVE:-}" ]] || approve=(--approve "$APPROVE")
    ;;
esac
target_flags

cd "$(dirname "$0")/.."
exec dagger call deploy --env "$env" --image "$image" ${approve[@]+"${approve[@]}"} ${TARGET_FLAGS[@]+"${TARGET_FLAGS[@]}"}
