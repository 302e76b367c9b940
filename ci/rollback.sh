#!/usr/bin/env bash
# Roll ENV back to its previous stable release, or to REF (a sha256:… digest from
# `dagger call history --env ENV`), through the same health gate as a deploy.
set -euo pipefail

USAGE="usage: ci/rollback.sh ENV [REF]
  roll ENV back to the previous stable release, or to REF (sha256:… from dagger call history --env ENV)
  optional: DEPLOY_SSH_KEY or DEPLOY_SSH_KEY_FILE, REQUESTED_BY"
# shellcheck source-path=SCRIPTDIR source=scripts/lib.sh
source "$(dirname "$0")/scripts/lib.sh"

(($# == 1 || $# == 2)) || usage_error "ci/rollback.sh takes ENV and an optional REF"
env="$1"
check_env "$env"
to=()
if (($# == 2)); then
  [[ -n "$2" ]] || usage_error "REF is empty"
  to=(--to "$2")
fi
target_flags

cd "$(dirname "$0")/.."
exec dagger call rollback --env "$env" ${to[@]+"${to[@]}"} ${TARGET_FLAGS[@]+"${TARGET_FLAGS[@]}"}
