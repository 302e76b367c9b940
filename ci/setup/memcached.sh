#!/usr/bin/env bash
# Installs Debian's memcached (1.6.x) and starts it as a background daemon on 127.0.0.1:11211
# (no systemd). Idempotent: when something already answers `version` there, it only reports it.
# Waits (bounded) until the server answers the text protocol's `version` command.
#
# Environment: MEMCACHED_PORT (default 11211), MEMCACHED_MEMORY_MB (default 64),
# MEMCACHED_WAIT_SECONDS (default 20).
set -euo pipefail

port="${MEMCACHED_PORT:-11211}"
memory_mb="${MEMCACHED_MEMORY_MB:-64}"
wait_seconds="${MEMCACHED_WAIT_SECONDS:-20}"

say() { printf '[memcached.sh] %s\n' "$*"; }

# Speaks the text protocol through bash's /dev/tcp, so no client package is needed.
memcached_version() {
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'version\r\n' >&3
  IFS= read -r -t 2 reply <&3 || { exec 3>&-; return 1; }
  exec 3>&-
  case "$reply" in
    VERSION*) printf '%s\n' "${reply%$'\r'}" ;;
    *) return 1 ;;
  esac
}

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root" >&2
  exit 1
fi

if version="$(memcached_version 2>/dev/null)"; then
  say "already answering on 127.0.0.1:$port: $version"
  exit 0
fi

if ! command -v memcached >/dev/null 2>&1; then
  say "installing memcached from Debian"
  bash "$(dirname "$0")/apt-install.sh" memcached
fi

say "starting memcached on 127.0.0.1:$port (${memory_mb} MB)"
# -d daemonizes (the server outlives this script); -u memcache because root needs -u anyway.
user=memcache
id "$user" >/dev/null 2>&1 || user=nobody
# memcached writes its pid file after dropping privileges, so the directory must be the user's.
install -d -o "$user" /run/memcached
memcached -d -u "$user" -l 127.0.0.1 -p "$port" -U 0 -m "$memory_mb" -P "/run/memcached/memcached-$port.pid"

deadline=$((SECONDS + wait_seconds))
until version="$(memcached_version 2>/dev/null)"; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    say "memcached did not answer on 127.0.0.1:$port within ${wait_seconds}s" >&2
    exit 1
  fi
  sleep 0.2
done
say "ready on 127.0.0.1:$port: $version"
