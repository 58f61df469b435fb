# shellcheck shell=sh
# --- pull-run: pull, with bounded retries ---
hci_section_start hci_pull "Pulling $HCI_IMAGE"
hci_try=1
hci_delay=2
hci_log=$(mktemp)
while :; do
  # Shown as it goes (a big pull takes a while) and kept to read the error.
  {
    if docker pull -- "$HCI_IMAGE" 2>&1; then hci_rc=0; else hci_rc=$?; fi
    echo "$hci_rc" >"$hci_log.rc"
  } | tee "$hci_log"
  hci_out=$(cat "$hci_log")
  if [ "$(cat "$hci_log.rc")" = 0 ]; then
    rm -f "$hci_log" "$hci_log.rc"
    break
  fi
  hci_last=$(printf '%s\n' "$hci_out" | tail -n 1)
  case $hci_out in
    *"manifest unknown"* | *"not found"* | *"name unknown"* | *NOT_FOUND*)
      hci_fail 6 "$HCI_IMAGE does not exist: $hci_last. Check the tag or digest (input image), and that the job that pushes it ran before this one (input needs)."
      ;;
    *nauthorized* | *denied* | *"authentication required"*)
      if [ "$HCI_LOGIN" = yes ]; then
        hci_fail 6 "$HCI_IMAGE_REGISTRY refused to let '$HCI_USER' pull $HCI_IMAGE: $hci_last. The robot account needs the Pull permission on the project."
      fi
      hci_fail 6 "$HCI_IMAGE_REGISTRY refused an anonymous pull of $HCI_IMAGE: $hci_last. A private project needs credentials: activate the Harbor integration (Settings › Integrations › Harbor), or set the inputs registry, username_variable and password_variable."
      ;;
    *x509* | *certificate* | *"http response to https"* | *"server gave HTTP response"*)
      HCI_REG=$HCI_IMAGE_REGISTRY
      hci_fail 6 "cannot pull $HCI_IMAGE: $hci_last. $(hci_registry_hint "$hci_out")"
      ;;
  esac
  if [ "$hci_try" -gt "$HCI_PULL_RETRIES" ]; then
    # shellcheck disable=SC2034 # read by hci_registry_hint (templates/lib/registry.sh)
    HCI_REG=$HCI_IMAGE_REGISTRY
    hci_fail 6 "cannot pull $HCI_IMAGE after $hci_try attempts (input pull_retries: $HCI_PULL_RETRIES). Last error: $hci_last. $(hci_registry_hint "$hci_out")"
  fi
  hci_warn "pull of $HCI_IMAGE failed (attempt $hci_try of $((HCI_PULL_RETRIES + 1))): $hci_last; retrying in ${hci_delay}s"
  sleep "$hci_delay"
  hci_try=$((hci_try + 1))
  hci_delay=$((hci_delay * 2))
done
hci_section_end hci_pull
