#!/usr/bin/env bash
# Build the production image for every platform publish pushes (linux/amd64 and linux/arm64 by
# default), without pushing it: a quick check that the Dockerfile builds everywhere.
set -euo pipefail

USAGE="usage: ci/build.sh [PLATFORMS]    build the image, e.g. ci/build.sh linux/amd64,linux/arm64 (dagger call build-multi-arch)"
# shellcheck source-path=SCRIPTDIR source=scripts/lib.sh
source "$(dirname "$0")/scripts/lib.sh"

(($# <= 1)) || usage_error "ci/build.sh takes at most one argument"
platforms=()
if (($# == 1)); then
  [[ "$1" =~ ^[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?(,[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?)*$ ]] || usage_error "not a comma-separated list of platforms: '$1'"
  platforms=(--platforms "$1")
fi

cd "$(dirname "$0")/.."
exec dagger call build-multi-arch ${platforms[@]+"${platforms[@]}"}
