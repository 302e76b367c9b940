# shellcheck shell=bash
# Shared by the wrappers in ci/ and ci/scripts/ (sourced, never run): the usage error every
# wrapper prints, the environment-name check, and the optional flags the deploy-side calls take.
# Why a file: the rules for secrets (Dagger secret references, never values) live in one place.

# usage_error MESSAGE: MESSAGE and the caller's $USAGE on stderr, exit 2.
usage_error() {
  printf '%s\n%s\n' "$1" "${USAGE:?set USAGE before sourcing lib.sh}" >&2
  exit 2
}

# check_env NAME: an environment is the name of a file in environments/ (development, testing, ...).
check_env() {
  [[ "$1" =~ ^[a-z][a-z0-9_-]*$ ]] || usage_error "not an environment name: '$1'"
}

# target_flags: fills TARGET_FLAGS with the optional flags for the Docker host and the ledger.
# The SSH key goes to Dagger as a secret reference, so its value never appears in argv or logs:
# DEPLOY_SSH_KEY (the key itself) becomes env:DEPLOY_SSH_KEY, DEPLOY_SSH_KEY_FILE (a path, as
# Jenkins and GitLab file variables give it) becomes file:PATH. Neither set: the module uses
# deploy.ssh_key from the environment's config. REQUESTED_BY names the deployer in the ledger.
target_flags() {
  TARGET_FLAGS=()
  if [[ -n "${DEPLOY_SSH_KEY:-}" ]]; then
    TARGET_FLAGS+=(--ssh-key env:DEPLOY_SSH_KEY)
  elif [[ -n "${DEPLOY_SSH_KEY_FILE:-}" ]]; then
    TARGET_FLAGS+=(--ssh-key "file:${DEPLOY_SSH_KEY_FILE}")
  fi
  if [[ -n "${REQUESTED_BY:-}" ]]; then
    TARGET_FLAGS+=(--requested-by "$REQUESTED_BY")
  fi
}
