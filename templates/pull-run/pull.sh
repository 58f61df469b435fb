# shellcheck shell=sh
# shellcheck disable=SC2154 # hci_out, hci_last, hci_try: set by hci_docker_retry (templates/lib/retry.sh)
# --- pull-run: pull, with bounded retries ---
hci_section_start hci_pull "Pulling $HCI_IMAGE"
# A failure that no retry mends: stop the job (called by hci_docker_retry with the reference).
# shellcheck disable=SC2317 # called by name, by hci_docker_retry
hci_pull_permanent() {
  case $hci_out in
    *"manifest unknown"* | *"not found"* | *"name unknown"* | *NOT_FOUND*)
      hci_fail 6 "$1 does not exist: $hci_last. Check the tag or digest (input image), and that the job that pushes it ran before this one (input needs)."
      ;;
    *nauthorized* | *denied* | *"authentication required"*)
      if [ "$HCI_LOGIN" = yes ]; then
        hci_fail 6 "$HCI_IMAGE_REGISTRY refused to let '$HCI_USER' pull $1: $hci_last. The robot account needs the Pull permission on the project."
      fi
      hci_fail 6 "$HCI_IMAGE_REGISTRY refused an anonymous pull of $1: $hci_last. A private project needs credentials: activate the Harbor integration (Settings › Integrations › Harbor), or set the inputs registry, username_variable and password_variable."
      ;;
    *x509* | *certificate* | *"http response to https"* | *"server gave HTTP response"*)
      HCI_REG=$HCI_IMAGE_REGISTRY
      hci_fail 6 "cannot pull $1: $hci_last. $(hci_registry_hint "$hci_out")"
      ;;
  esac
}
if ! hci_docker_retry pull "$HCI_IMAGE" "$HCI_PULL_RETRIES" hci_pull_permanent; then
  # shellcheck disable=SC2034 # read by hci_registry_hint (templates/lib/registry.sh)
  HCI_REG=$HCI_IMAGE_REGISTRY
  hci_fail 6 "cannot pull $HCI_IMAGE after $hci_try attempts (input pull_retries: $HCI_PULL_RETRIES). Last error: $hci_last. $(hci_registry_hint "$hci_out")"
fi
hci_section_end hci_pull
