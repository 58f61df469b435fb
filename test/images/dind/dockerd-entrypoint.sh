#!/bin/sh
# Entrypoint with the contract of the official docker:dind image:
# - DOCKER_TLS_CERTDIR set: make a CA, server and client certificates (client ones in
#   $DOCKER_TLS_CERTDIR/client for the job) and listen on tcp://0.0.0.0:2376 with --tlsverify;
#   unset: plain tcp://0.0.0.0:2375.
# - extra arguments (GitLab `services: command:`) go to dockerd; `DOCKER_TLS_SAN` adds SANs.
# - cgroup mounts are made writable, so dockerd also runs with a capability set instead of
#   --privileged (on VMs without CAP_SYS_RESOURCE, --privileged fails with "unable to apply caps:
#   operation not permitted"; scripts/runner/runner.ts picks the capability set there).
set -eu

log() { echo "dind-entrypoint: $*" >&2; }

gen_certs() {
  dir="$1"
  mkdir -p "$dir/ca" "$dir/server" "$dir/client"
  if [ ! -s "$dir/ca/key.pem" ]; then
    log "generating CA in $dir/ca"
    openssl genrsa -out "$dir/ca/key.pem" 2048 2>/dev/null
    openssl req -new -x509 -days 825 -key "$dir/ca/key.pem" -out "$dir/ca/cert.pem" -subj '/CN=docker:dind CA'
  fi
  if [ ! -s "$dir/server/cert.pem" ]; then
    name=$(cat /etc/hostname)
    san="DNS:docker,DNS:localhost,DNS:$name,IP:127.0.0.1,IP:::1"
    # shellcheck disable=SC2013 # one address per word
    for ip in $(awk -v h="$name" '$2 == h { print $1 }' /etc/hosts); do
      case "$ip" in *:* | 127.*) ;; *) san="$san,IP:$ip" ;; esac
    done
    [ -n "${DOCKER_TLS_SAN:-}" ] && san="$san,$(echo "$DOCKER_TLS_SAN" | tr ' ' ',')"
    log "generating server certificate (SAN $san)"
    sign "$dir" server "/CN=docker:dind server" "subjectAltName=$san
extendedKeyUsage=serverAuth"
  fi
  if [ ! -s "$dir/client/cert.pem" ]; then
    log "generating client certificate in $dir/client"
    sign "$dir" client "/CN=docker:dind client" "extendedKeyUsage=clientAuth"
    # The job may run as any user; the client key is only worth this job's daemon.
    chmod 0644 "$dir/client/key.pem"
  fi
}

sign() {
  dir="$1" who="$2" subj="$3" ext="$4"
  openssl genrsa -out "$dir/$who/key.pem" 2048 2>/dev/null
  openssl req -new -key "$dir/$who/key.pem" -out "$dir/$who/csr.pem" -subj "$subj"
  printf '%s\n' "$ext" >"$dir/$who/openssl.cnf"
  openssl x509 -req -in "$dir/$who/csr.pem" -CA "$dir/ca/cert.pem" -CAkey "$dir/ca/key.pem" \
    -CAcreateserial -out "$dir/$who/cert.pem" -days 825 -extfile "$dir/$who/openssl.cnf" 2>/dev/null
  cp "$dir/ca/cert.pem" "$dir/$who/ca.pem"
  rm -f "$dir/$who/csr.pem" "$dir/$who/openssl.cnf"
  openssl verify -CAfile "$dir/$who/ca.pem" "$dir/$who/cert.pem" >/dev/null
}

make_writable() {
  # Without --privileged docker mounts cgroups read-only; dockerd needs to create cgroups.
  # (Needs CAP_SYS_ADMIN; a no-op where they are already writable.)
  awk '$3 ~ /^cgroup2?$/ || ($2 == "/sys/fs/cgroup" && $3 == "tmpfs") { print $2 }' /proc/mounts |
    while read -r mnt; do
      mount -o remount,rw "$mnt" 2>/dev/null || mount -o remount,bind,rw "$mnt" 2>/dev/null || true
    done
  # cgroup v2: move ourselves out of the root cgroup so controllers can be delegated (as dind does).
  if [ -f /sys/fs/cgroup/cgroup.controllers ] && [ -w /sys/fs/cgroup/cgroup.subtree_control ]; then
    mkdir -p /sys/fs/cgroup/init
    xargs -rn1 </sys/fs/cgroup/cgroup.procs >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || true
    sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
  fi
  # Without --privileged /proc/sys is read-only and inner containers fail to start
  # ("failed to disable IPv6 on container's interface eth0").
  if ! [ -w /proc/sys/net/ipv4/ip_forward ]; then
    mount -o remount,rw /proc/sys 2>/dev/null || log "warning: /proc/sys is read-only; inner containers may fail to start"
  fi
  # Some kernels need securityfs for AppArmor detection; harmless if it fails.
  if [ -d /sys/kernel/security ] && ! mountpoint -q /sys/kernel/security 2>/dev/null; then
    mount -t securityfs none /sys/kernel/security 2>/dev/null || true
  fi
}

pick_iptables() {
  # Use the legacy backend when nf_tables is not usable from this container.
  if ! iptables -nL >/dev/null 2>&1 && command -v iptables-legacy >/dev/null 2>&1 && iptables-legacy -nL >/dev/null 2>&1; then
    log "iptables (nft) unusable here; switching to iptables-legacy"
    update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
    update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null 2>&1 || true
  fi
}

# `command: ["--foo"]` → dockerd --foo; no argument → dockerd with the default listeners.
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- dockerd "$@"
fi

if [ "$1" = dockerd ]; then
  shift
  has_host=no
  for arg in "$@"; do
    case "$arg" in -H | -H=* | --host | --host=*) has_host=yes ;; esac
  done
  tls_args=""
  if [ -n "${DOCKER_TLS_CERTDIR:-}" ]; then
    gen_certs "$DOCKER_TLS_CERTDIR"
    d="$DOCKER_TLS_CERTDIR/server"
    tls_args="--tlsverify --tlscacert $d/ca.pem --tlscert $d/cert.pem --tlskey $d/key.pem"
    port=2376
  else
    log "DOCKER_TLS_CERTDIR is empty: listening WITHOUT TLS on 2375"
    port=2375
  fi
  host_args=""
  [ "$has_host" = no ] && host_args="--host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:$port"
  make_writable
  pick_iptables
  # shellcheck disable=SC2086 # the argument strings are built above from known words
  set -- dockerd $host_args $tls_args "$@"
  [ "$port" = 2375 ] && set -- "$@" --tls=false
fi

log "exec $*"
exec "$@"
