#!/bin/sh
# Same contract as the official docker image's entrypoint: find the dind service by itself.
set -eu

# `docker run <image> ps` style: an argument that is a docker subcommand runs through docker.
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- docker "$@"
elif docker help "$1" >/dev/null 2>&1; then
  set -- docker "$@"
fi

# TLS is used when the dind service left its client certificates in the shared directory.
certs_ready() {
  [ -n "${DOCKER_TLS_CERTDIR:-}" ] &&
    [ -s "$DOCKER_TLS_CERTDIR/client/ca.pem" ] &&
    [ -s "$DOCKER_TLS_CERTDIR/client/cert.pem" ] &&
    [ -s "$DOCKER_TLS_CERTDIR/client/key.pem" ]
}

if [ -z "${DOCKER_HOST:-}" ]; then
  if certs_ready || [ -n "${DOCKER_TLS_VERIFY:-}" ]; then
    export DOCKER_HOST='tcp://docker:2376'
  else
    export DOCKER_HOST='tcp://docker:2375'
  fi
fi
if [ -n "${DOCKER_HOST:-}" ] && certs_ready; then
  export DOCKER_TLS_VERIFY=1
  export DOCKER_CERT_PATH="$DOCKER_TLS_CERTDIR/client"
fi

exec "$@"
