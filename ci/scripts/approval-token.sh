#!/usr/bin/env bash
# Print the approval token for deploying IMAGE to ENV: ENV@<first 12 hex of its digest>, as
# `dagger call deploy --approve` expects it. The vendor configs call this only inside the job
# that runs after the vendor's own approval, so a token exists only for an approved deploy.
set -euo pipefail

USAGE="usage: ci/scripts/approval-token.sh ENV IMAGE    print ENV@<first 12 hex of IMAGE's sha256 digest>"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

(($# == 2)) || usage_error "ci/scripts/approval-token.sh takes ENV and IMAGE"
check_env "$1"
[[ "$2" =~ @sha256:([0-9a-f]{64})$ ]] || usage_error "not pinned by digest (repo@sha256:<64 hex>): '$2'"
printf '%s@%s\n' "$1" "${BASH_REMATCH[1]:0:12}"
