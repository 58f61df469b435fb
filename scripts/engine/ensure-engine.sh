#!/bin/sh
# Make sure a Docker engine answers `docker info`, installing and starting one if needed.
# Idempotent: a running engine is left alone. Only installs on Debian as root (CI and dev VMs);
# elsewhere it explains what to install.
#
# Environment:
#   HARBOR_CI_ENGINE_TIMEOUT  seconds to wait for dockerd to answer (default 90)
#   HARBOR_CI_ENGINE_LOG      dockerd log file (default /var/log/harbor-ci-dockerd.log)
set -eu

timeout_s="${HARBOR_CI_ENGINE_TIMEOUT:-90}"
log_file="${HARBOR_CI_ENGINE_LOG:-/var/log/harbor-ci-dockerd.log}"
pid_file=/var/run/harbor-ci-dockerd.pid
start_s=$(date +%s)

say() { printf '[engine %3ss] %s\n' "$(($(date +%s) - start_s))" "$*"; }
fail() {
  printf '[engine] ERROR: %s\n' "$*" >&2
  exit 1
}

engine_answers() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
  say "Docker engine already running ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  exit 0
fi

is_root=no
[ "$(id -u)" = 0 ] && is_root=yes
is_debian=no
[ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1 && is_debian=yes

if [ "$is_root" != yes ] || [ "$is_debian" != yes ]; then
  if command -v docker >/dev/null 2>&1; then
    fail "a docker CLI is installed but no engine answers \`docker info\`. Start the engine (e.g. \`sudo systemctl start docker\`, or Docker Desktop), or set DOCKER_HOST to a reachable engine, then re-run."
  fi
  fail "no Docker engine found. This script installs one only as root on Debian (apt). Install Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop, make sure \`docker info\` works, then re-run."
fi

# Packages: the engine (docker.io brings dockerd, containerd, runc and a CLI), iptables for its
# networking, debootstrap for the test base image (scripts/runner/images.ts).
missing=""
command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
command -v iptables >/dev/null 2>&1 || missing="$missing iptables"
command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
if [ -n "$missing" ]; then
  say "installing:$missing (apt-get update, then install; about 30 s)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed: check network access to the Debian mirror (/etc/apt/sources.list*)."
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
    fail "apt-get install$missing failed: see the output above; try \`apt-get install -y$missing\` by hand."
  say "installed:$missing"
fi

running_pid=""
if [ -f "$pid_file" ]; then
  running_pid=$(cat "$pid_file" 2>/dev/null || true)
  if [ -n "$running_pid" ] && ! kill -0 "$running_pid" 2>/dev/null; then
    running_pid=""
  fi
fi

if [ -n "$running_pid" ]; then
  say "dockerd already started (pid $running_pid), waiting for it to answer"
else
  mkdir -p "$(dirname "$log_file")"
  say "starting dockerd (log: $log_file)"
  # setsid + nohup: the daemon must outlive this script and the npm process that ran it.
  setsid nohup dockerd --pidfile "$pid_file" >>"$log_file" 2>&1 </dev/null &
fi

while :; do
  if engine_answers; then
    say "Docker engine ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'), storage: $(docker info --format '{{.Driver}}' 2>/dev/null || echo '?'))"
    exit 0
  fi
  elapsed=$(($(date +%s) - start_s))
  if [ "$elapsed" -ge "$timeout_s" ]; then
    echo "----- last lines of $log_file -----" >&2
    tail -n 30 "$log_file" >&2 2>/dev/null || true
    fail "dockerd did not answer \`docker info\` within ${timeout_s}s. See $log_file above; common causes: iptables missing or not permitted, another dockerd holding /var/run/docker.sock. Raise HARBOR_CI_ENGINE_TIMEOUT if the machine is just slow."
  fi
  sleep 1
done
