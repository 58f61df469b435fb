# shellcheck shell=sh
# --- harbor-ci-components shell library: the Docker daemon (find it, wait until it answers) ---
# True when host name $1 resolves (or when the image has no tool to tell).
hci_resolves() {
  if awk -v h="$1" '$1 !~ /^#/ { for (i = 2; i <= NF; i++) if ($i == h) f = 1 } END { exit !f }' /etc/hosts 2>/dev/null; then
    return 0
  fi
  if command -v getent >/dev/null 2>&1; then
    getent hosts "$1" >/dev/null 2>&1
    return
  fi
  if command -v nslookup >/dev/null 2>&1; then
    nslookup "$1" >/dev/null 2>&1
    return
  fi
  return 0
}
# Finds the daemon: input docker_host, else the service alias `docker` (Docker executor), else
# localhost (Kubernetes executor: services share the pod). TLS unless port 2375 or unix://.
hci_docker_env() {
  if [ -n "$HCI_DOCKER_HOST" ]; then
    hci_host=$HCI_DOCKER_HOST
    hci_why="input docker_host"
  elif [ -n "${KUBERNETES_SERVICE_HOST:-}${KUBERNETES_PORT:-}" ]; then
    hci_host=tcp://localhost:2376
    hci_why="Kubernetes executor (KUBERNETES_SERVICE_HOST is set): services share the pod"
  elif hci_resolves docker; then
    hci_host=tcp://docker:2376
    hci_why="Docker executor: service alias docker"
  else
    hci_host=tcp://localhost:2376
    hci_why="the host name docker does not resolve: services share the network namespace"
  fi
  if [ -n "${DOCKER_HOST:-}" ] && [ "$DOCKER_HOST" != "$hci_host" ]; then
    echo "Note: DOCKER_HOST=$DOCKER_HOST from the environment is replaced; set the input docker_host to choose the daemon."
  fi
  DOCKER_HOST=$hci_host
  export DOCKER_HOST
  case $DOCKER_HOST in
    unix://* | *:2375 | *:2375/)
      hci_tls=no
      unset DOCKER_TLS_VERIFY DOCKER_CERT_PATH
      ;;
    *)
      hci_tls=yes
      DOCKER_TLS_VERIFY=1
      DOCKER_CERT_PATH=${DOCKER_TLS_CERTDIR:-/certs}/client
      export DOCKER_TLS_VERIFY DOCKER_CERT_PATH
      ;;
  esac
  echo "Docker daemon: $DOCKER_HOST ($hci_why; TLS: $hci_tls)"
}
hci_wait_for_docker() {
  hci_positive_int daemon_timeout "$HCI_DAEMON_TIMEOUT"
  hci_start=$(date +%s)
  hci_last="no answer yet"
  while :; do
    if [ "$hci_tls" = yes ] && ! { [ -s "$DOCKER_CERT_PATH/ca.pem" ] && [ -s "$DOCKER_CERT_PATH/cert.pem" ] && [ -s "$DOCKER_CERT_PATH/key.pem" ]; }; then
      hci_last="no TLS client certificate in $DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem)"
    elif hci_last=$(hci_timeout 10 docker version --format '{{.Server.Version}}' 2>&1); then
      echo "Docker daemon $hci_last is ready at $DOCKER_HOST after $(($(date +%s) - hci_start))s"
      return 0
    fi
    if [ $(($(date +%s) - hci_start)) -ge "$HCI_DAEMON_TIMEOUT" ]; then
      break
    fi
    sleep 1
  done
  # One line for the ERROR message: the last three non-empty lines (`docker version` prints
  # an empty client line before the daemon's error).
  hci_last=$(printf '%s\n' "$hci_last" | awk 'NF { l[++n] = $0 } END { s = n > 3 ? n - 2 : 1; for (i = s; i <= n; i++) printf "%s%s", (i > s ? " " : ""), l[i] }')
  case $hci_last in
    *"TLS client certificate"*)
      hci_fail 3 "the Docker daemon at $DOCKER_HOST did not become ready within ${HCI_DAEMON_TIMEOUT}s: $hci_last. The dind service writes them to $DOCKER_TLS_CERTDIR/client, which the runner must share with the job: volumes = [\"/certs/client\"] in config.toml (Docker executor), or an empty_dir volume at /certs/client (Kubernetes executor)."
      ;;
  esac
  hci_fail 3 "the Docker daemon at $DOCKER_HOST did not become ready within ${HCI_DAEMON_TIMEOUT}s. Last error: $hci_last. Check the service log (dind needs a privileged runner: privileged = true in config.toml), raise the input daemon_timeout, or set the input docker_host (for example tcp://localhost:2376 on the Kubernetes executor)."
}
