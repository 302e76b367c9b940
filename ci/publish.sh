#!/usr/bin/env bash
# Build for every platform, push one multi-platform image to ADDRESS and print only its pinned
# reference (repo@sha256:…) on stdout, for the vendor to carry to the deploy jobs.
# The registry password reaches Dagger as the secret reference env:REGISTRY_PASSWORD, never as a
# value. VERSION, REVISION, SOURCE_URL and CREATED, when set, become the image's OCI labels.
set -euo pipefail

USAGE="usage: REGISTRY_USERNAME=… REGISTRY_PASSWORD=… ci/publish.sh ADDRESS
  push the image to ADDRESS (e.g. registry.example.com/acme/webapp:1.4.2) and print repo@sha256:…
  optional labels from VERSION, REVISION, SOURCE_URL, CREATED"
# shellcheck source-path=SCRIPTDIR source=scripts/lib.sh
source "$(dirname "$0")/scripts/lib.sh"

(($# == 1)) || usage_error "ci/publish.sh takes exactly one argument, the address"
address="$1"
[[ -n "$address" ]] || usage_error "the address is empty"
[[ -n "${REGISTRY_USERNAME:-}" ]] || usage_error "REGISTRY_USERNAME is not set"
[[ -n "${REGISTRY_PASSWORD:-}" ]] || usage_error "REGISTRY_PASSWORD is not set"

labels=()
[[ -z "${VERSION:-}" ]] || labels+=(--version "$VERSION")
[[ -z "${REVISION:-}" ]] || labels+=(--revision "$REVISION")
[[ -z "${SOURCE_URL:-}" ]] || labels+=(--source-url "$SOURCE_URL")
[[ -z "${CREATED:-}" ]] || labels+=(--created "$CREATED")

cd "$(dirname "$0")/.."
output="$(dagger call publish --address "$address" --username "$REGISTRY_USERNAME" --password env:REGISTRY_PASSWORD ${labels[@]+"${labels[@]}"})"
ref="$(printf '%s\n' "$output" | grep -Eo '[^[:space:]]+@sha256:[0-9a-f]{64}' | tail -n 1 || true)"
if [[ -z "$ref" ]]; then
  printf 'ci/publish.sh: publish printed no repo@sha256:… reference; its output was:\n%s\n' "$output" >&2
  exit 1
fi
printf '%s\n' "$ref"
