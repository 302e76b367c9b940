#!/usr/bin/env bash
# Installs Debian's Docker engine (docker.io, 20.10.x) and starts a plain `dockerd` as root in the
# background: no systemd, cgroupfs cgroup driver, overlay2 storage. Idempotent: when the daemon
# already answers it only prints the versions. Waits (bounded) until `docker info` answers.
#
# Which client: Debian's package installs /usr/bin/docker (20.10, API 1.41). A newer client may
# already sit at /usr/local/bin/docker (28.x, API 1.50); it comes first on PATH and negotiates the
# API version down to the daemon's 1.41 on its own, so either works. This script and the tests
# call plain `docker` (whatever PATH finds); set DOCKER=/usr/bin/docker in the tests to pin one.
#
# Environment: DOCKERD_LOG (default /var/log/dockerd.log), DOCKERD_WAIT_SECONDS (default 60).
set -euo pipefail

log_file="${DOCKERD_LOG:-/var/log/dockerd.log}"
wait_seconds="${DOCKERD_WAIT_SECONDS:-60}"

say() { printf '[docker.sh] %s\n' "$*"; }

daemon_answers() { docker info >/dev/null 2>&1; }

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root" >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v containerd >/dev/null 2>&1; then
  say "installing docker.io from Debian"
  bash "$(dirname "$0")/apt-install.sh" docker.io iptables ca-certificates
fi

if ! daemon_answers; then
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd is running but not answering yet; waiting"
  else
    # A stale pid file from a killed daemon makes dockerd refuse to start.
    if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
      rm -f /var/run/docker.pid
    fi
    say "starting dockerd (cgroupfs, overlay2); log: $log_file"
    # setsid + nohup: the daemon outlives this script and the shell that ran it.
    setsid nohup dockerd \
      --exec-opt native.cgroupdriver=cgroupfs \
      --storage-driver overlay2 \
      --host unix:///var/run/docker.sock \
      >>"$log_file" 2>&1 </dev/null &
  fi
  deadline=$((SECONDS + wait_seconds))
  until daemon_answers; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "dockerd did not answer within ${wait_seconds}s; last log lines:" >&2
      tail -n 30 "$log_file" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
fi

client="$(command -v docker)"
say "client: $client ($(docker version --format '{{.Client.Version}} API {{.Client.APIVersion}}'))"
say "server: $(docker version --format '{{.Server.Version}} API {{.Server.APIVersion}}')"
say "driver: $(docker info --format '{{.Driver}} cgroup={{.CgroupDriver}} v{{.CgroupVersion}}')"
