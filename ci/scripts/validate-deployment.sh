#!/usr/bin/env bash
# After a deploy: show what is live in ENV, the previous stable release, the lock holder and the
# containers (`dagger call status --env ENV`); fails when the environment cannot be read.
set -euo pipefail

USAGE="usage: ci/scripts/validate-deployment.sh ENV    show what is live (dagger call status --env ENV)
  optional: DEPLOY_SSH_KEY or DEPLOY_SSH_KEY_FILE"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

(($# == 1)) || usage_error "ci/scripts/validate-deployment.sh takes exactly one argument, ENV"
check_env "$1"
ssh_key=()
if [[ -n "${DEPLOY_SSH_KEY:-}" ]]; then
  ssh_key=(--ssh-key env:DEPLOY_SSH_KEY)
elif [[ -n "${DEPLOY_SSH_KEY_FILE:-}" ]]; then
  ssh_key=(--ssh-key "file:${DEPLOY_SSH_KEY_FILE}")
fi

cd "$(dirname "$0")/../.."
exec dagger call status --env "$1" ${ssh_key[@]+"${ssh_key[@]}"}
