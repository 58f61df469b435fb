# shellcheck shell=sh
# --- harbor-ci-components shell library: the registry (address, credentials, CA, login) ---
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
# Checks the CA variable the input registry_ca_variable names (dind-entrypoint.sh writes the CA).
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
