# shellcheck shell=sh
# The tool installed by install.sh (a job runs before_script and script in one shell).
# shellcheck disable=SC2154
# --- scan-gate: ask Harbor ---
set -- scan --image "$HCI_IMAGE" --fail-on "$HCI_FAIL_ON" --timeout "$HCI_TIMEOUT" \
  --report "$HCI_REPORT" --junit "$HCI_JUNIT_REPORT" \
  --username-variable "$HCI_USERNAME_VARIABLE" --password-variable "$HCI_PASSWORD_VARIABLE"
if [ -n "$HCI_ALLOW_LIST" ]; then
  set -- "$@" --allow "$HCI_ALLOW_LIST"
fi
if ! hci_unset "$HCI_REGISTRY"; then
  set -- "$@" --registry "$HCI_REGISTRY"
fi
if [ -n "$HCI_HARBOR_CA_VARIABLE" ]; then
  hci_env "$HCI_HARBOR_CA_VARIABLE" >"$HCI_TOOL_DIR/harbor-ca.pem"
  if grep -q 'BEGIN CERTIFICATE' "$HCI_TOOL_DIR/harbor-ca.pem"; then
    export NODE_EXTRA_CA_CERTS="$HCI_TOOL_DIR/harbor-ca.pem"
  elif hci_ca_file=$(cat "$HCI_TOOL_DIR/harbor-ca.pem") && [ -f "$hci_ca_file" ]; then
    # A File variable holds the path of the PEM.
    export NODE_EXTRA_CA_CERTS="$hci_ca_file"
  else
    printf 'WARNING: %s holds no PEM certificate: trusting the system CAs only.\n' "$HCI_HARBOR_CA_VARIABLE" >&2
  fi
fi
"$hci_bin" "$@"
