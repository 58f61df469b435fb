#!/bin/sh
# Environment (all optional):
#   LISTEN_PORT=5000           port of the registry
#   EXTRA_PORTS="443"          more ports forwarded to LISTEN_PORT (same TLS, same registry)
#   HTPASSWD_USER / HTPASSWD_PASSWORD   one bcrypt htpasswd user; unset = no auth
#   TLS_SANS="DNS:harbor.test,IP:127.0.0.1"  generate a CA (/certs/ca.crt) and a server certificate
#   TLS_CERT / TLS_KEY         use these files instead
set -eu
log() { echo "registry-entrypoint: $*" >&2; }

port="${LISTEN_PORT:-5000}"
export REGISTRY_HTTP_ADDR=":$port"

if [ -n "${HTPASSWD_USER:-}" ]; then
  # Password through stdin (-i), never on a command line.
  printf '%s' "${HTPASSWD_PASSWORD:-}" | htpasswd -iBc /auth/htpasswd "$HTPASSWD_USER" 2>/dev/null
  unset HTPASSWD_PASSWORD
  export REGISTRY_AUTH=htpasswd
  export REGISTRY_AUTH_HTPASSWD_REALM="Registry Realm"
  export REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd
  log "htpasswd auth for user $HTPASSWD_USER"
fi

if [ -n "${TLS_SANS:-}" ] && [ ! -s /certs/server.crt ]; then
  log "generating CA and server certificate for $TLS_SANS"
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj '/CN=harbor-ci test CA' \
    -keyout /certs/ca.key -out /certs/ca.crt 2>/dev/null
  openssl req -new -newkey rsa:2048 -nodes -subj '/CN=registry' \
    -keyout /certs/server.key -out /certs/server.csr 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$TLS_SANS" >/certs/server.ext
  openssl x509 -req -in /certs/server.csr -CA /certs/ca.crt -CAkey /certs/ca.key -CAcreateserial \
    -days 825 -extfile /certs/server.ext -out /certs/server.crt 2>/dev/null
  chmod 0644 /certs/ca.crt
fi
if [ -n "${TLS_SANS:-}" ]; then
  TLS_CERT=/certs/server.crt
  TLS_KEY=/certs/server.key
fi
if [ -n "${TLS_CERT:-}" ]; then
  export REGISTRY_HTTP_TLS_CERTIFICATE="$TLS_CERT" REGISTRY_HTTP_TLS_KEY="$TLS_KEY"
fi

for extra in ${EXTRA_PORTS:-}; do
  log "forwarding port $extra to $port"
  socat "TCP-LISTEN:$extra,fork,reuseaddr" "TCP:127.0.0.1:$port" &
done

case "${1:-}" in serve | -*) set -- docker-registry "$@" ;; esac
log "listening on $port${REGISTRY_HTTP_TLS_CERTIFICATE:+ (TLS)}"
exec "$@"
