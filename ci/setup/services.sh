#!/usr/bin/env bash
# Makes sure the services the tests talk to are up: PostgreSQL on 127.0.0.1:5432 (trust auth for
# user postgres) and RabbitMQ on 127.0.0.1:5672 (guest/guest). Machines of this project's kind
# start both before a session; this starts whichever is down and installs it from Debian when it
# is missing, then waits (bounded) until each answers. Idempotent.
set -euo pipefail

say() { printf '[services.sh] %s\n' "$*"; }
newest_cluster() { find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1; }
wait_for() { # <what> <seconds> <command...>
  local what="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "$what did not come up within ${seconds}s" >&2
      return 1
    fi
    sleep 1
  done
  say "$what is up"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root" >&2
  exit 1
fi

# PostgreSQL
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  say "installing postgresql from Debian"
  bash "$(dirname "$0")/apt-install.sh" postgresql
  version="$(newest_cluster)"
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' >"$hba"
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version="$(newest_cluster)"
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
wait_for "PostgreSQL on 127.0.0.1:5432" 60 pg_isready -h 127.0.0.1 -p 5432 -q

# RabbitMQ
if ! port_open 5672; then
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    say "installing rabbitmq-server from Debian"
    bash "$(dirname "$0")/apt-install.sh" rabbitmq-server
  fi
  say "starting RabbitMQ"
  rabbitmq-server -detached
fi
wait_for "RabbitMQ on 127.0.0.1:5672" 120 port_open 5672
