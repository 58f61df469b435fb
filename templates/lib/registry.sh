# shellcheck shell=sh
# --- harbor-ci-components shell library: registry, credentials, Docker daemon ---
# host[:port] of a URL; the default port of the scheme is dropped.
hci_host_of_url() {
  hci_h=${1#*://}
  hci_h=${hci_h%%/*}
  hci_h=${hci_h##*@}
  case $1 in
    https://*) hci_h=${hci_h%:443} ;;
    http://*) hci_h=${hci_h%:80} ;;
  esac
  printf '%s' "$hci_h"
}
hci_positive_int() {
  case $2 in
    '' | *[!0-9]*) hci_fail 2 "input $1 must be a whole number, not '$2'." ;;
  esac
}
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
# Registry (host[:port]) and credentials: the inputs, else the Harbor integration's variables.
hci_registry_config() {
  if ! hci_unset "$HCI_REGISTRY"; then
    HCI_REG=$HCI_REGISTRY
    hci_reg_source="input registry"
  elif ! hci_unset "${HARBOR_URL:-}"; then
    HCI_REG=$(hci_host_of_url "$HARBOR_URL")
    hci_reg_source="HARBOR_URL"
  else
    HCI_REG=""
    hci_reg_source=""
  fi
  case $HCI_REG in
    *[!A-Za-z0-9.:-]*) hci_fail 2 "registry '$HCI_REG' (from $hci_reg_source) is not a host or host:port." ;;
  esac
  HCI_USER=$(hci_env "$HCI_USERNAME_VARIABLE")
  HCI_PASS=$(hci_env "$HCI_PASSWORD_VARIABLE")
}
hci_registry_ca_check() {
  [ -n "$HCI_REGISTRY_CA_VARIABLE" ] || return 0
  hci_ca=$(hci_env "$HCI_REGISTRY_CA_VARIABLE")
  case $hci_ca in
    *"BEGIN CERTIFICATE"*)
      echo "Registry CA: $HCI_REGISTRY_CA_VARIABLE, written by the dind service to /etc/docker/certs.d/$HCI_REG/ca.crt when the variable is defined in .gitlab-ci.yml (the service log then says hci-dind: trusting the CA)"
      ;;
    '')
      hci_warn "input registry_ca_variable names $HCI_REGISTRY_CA_VARIABLE, which is empty or not set: the daemon trusts the system CAs only."
      ;;
    *)
      if [ -f "$hci_ca" ]; then
        hci_warn "$HCI_REGISTRY_CA_VARIABLE is a File variable: the dind service cannot read the job's files. Define the PEM as a plain variable in .gitlab-ci.yml."
      else
        hci_warn "$HCI_REGISTRY_CA_VARIABLE does not hold a PEM certificate (-----BEGIN CERTIFICATE-----)."
      fi
      ;;
  esac
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
# Advice for a registry error message.
hci_registry_hint() {
  case $1 in
    *x509* | *certificate*)
      echo "The Docker daemon does not trust the TLS certificate of $HCI_REG: put the CA's PEM in a variable defined in .gitlab-ci.yml (not only in the UI: services do not see those) and name it in the input registry_ca_variable."
      ;;
    *"http response to https"* | *"server gave HTTP response"*)
      echo "$HCI_REG answers in plain HTTP: use an HTTPS registry address."
      ;;
    *"no such host"* | *"server misbehaving"*)
      echo "$HCI_REG does not resolve: check the registry address (input registry or HARBOR_URL)."
      ;;
    *)
      echo "Check the registry address $HCI_REG and that it is reachable from the runner."
      ;;
  esac
}
# An attempt with bounded retries: $1 the verb and $2 the reference (for the messages), $3 how
# many retries, $4 a function that stops the job on a permanent failure (called with $2; it reads
# $hci_out, the output, and $hci_last, its last line), then the attempt itself: a command and its
# arguments, which returns 0 on success and otherwise sets hci_out and hci_last. Returns 1 when
# every attempt failed, waiting 2 s, 4 s, 8 s... in between.
hci_retry() {
  hci_retry_verb=$1
  hci_retry_ref=$2
  hci_retry_max=$3
  hci_retry_permanent=$4
  shift 4
  hci_try=1
  hci_delay=2
  while :; do
    if "$@"; then return 0; fi
    "$hci_retry_permanent" "$hci_retry_ref"
    if [ "$hci_try" -gt "$hci_retry_max" ]; then return 1; fi
    hci_warn "$hci_retry_verb of $hci_retry_ref failed (attempt $hci_try of $((hci_retry_max + 1))): $hci_last; retrying in ${hci_delay}s"
    sleep "$hci_delay"
    hci_try=$((hci_try + 1))
    hci_delay=$((hci_delay * 2))
  done
}
# One `docker push|pull -- REF` ($1, $2): the output is shown as it goes (a big image takes a
# while) and kept in $hci_out, its last line in $hci_last.
# shellcheck disable=SC2317 # called by name, by hci_retry
hci_docker_attempt() {
  hci_log=$(mktemp)
  {
    if docker "$1" -- "$2" 2>&1; then hci_rc=0; else hci_rc=$?; fi
    echo "$hci_rc" >"$hci_log.rc"
  } | tee "$hci_log"
  hci_out=$(cat "$hci_log")
  hci_rc=$(cat "$hci_log.rc")
  rm -f "$hci_log" "$hci_log.rc"
  hci_last=$(printf '%s\n' "$hci_out" | tail -n 1)
  [ "$hci_rc" = 0 ]
}
# `docker push|pull -- REF` with bounded retries: $1 the verb, $2 the reference, $3 how many
# retries, $4 the permanent-failure function (see hci_retry).
hci_docker_retry() {
  hci_retry "$1" "$2" "$3" "$4" hci_docker_attempt "$1" "$2"
}
# Logs in with --password-stdin; retries network failures, never wrong credentials.
hci_login() {
  export DOCKER_CONFIG="$HCI_DOCKER_CONFIG"
  rm -rf "$DOCKER_CONFIG"
  (umask 077 && mkdir -p "$DOCKER_CONFIG") || hci_fail 2 "cannot create the Docker client directory $DOCKER_CONFIG."
  printf '%s\n' "$HCI_REG" >"$DOCKER_CONFIG/hci-registry"
  hci_try=1
  while :; do
    if hci_out=$(printf '%s' "$HCI_PASS" | docker login --username="$HCI_USER" --password-stdin -- "$HCI_REG" 2>&1); then
      echo "Logged in to $HCI_REG as $HCI_USER"
      return 0
    fi
    hci_out=$(printf '%s\n' "$hci_out" | grep -v -e 'WARNING! Your password' -e 'credential helper' -e 'credentials-store' -e '^$' || true)
    case $hci_out in
      *nauthorized* | *"incorrect username or password"* | *denied* | *" 401 "*)
        hci_fail 4 "$HCI_REG rejected the credentials of '$HCI_USER' ($HCI_USERNAME_VARIABLE / $HCI_PASSWORD_VARIABLE): $hci_out. Check the robot account's name and secret in Settings › Integrations › Harbor, and that the robot is enabled and not expired."
        ;;
      *x509* | *certificate* | *"http response to https"* | *"server gave HTTP response"*)
        hci_fail 4 "cannot log in to $HCI_REG: $hci_out. $(hci_registry_hint "$hci_out")"
        ;;
    esac
    if [ "$hci_try" -ge 3 ]; then
      hci_fail 4 "cannot log in to $HCI_REG after $hci_try attempts: $hci_out. $(hci_registry_hint "$hci_out")"
    fi
    hci_warn "login to $HCI_REG failed (attempt $hci_try of 3): $hci_out; retrying in ${hci_try}s"
    sleep "$hci_try"
    hci_try=$((hci_try + 1))
  done
}
