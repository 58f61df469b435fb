# shellcheck shell=sh
# shellcheck disable=SC2154 # hci_out, hci_last, hci_try: set by hci_docker_retry (templates/lib/registry.sh)
# --- build-push: push every tag of that one image, with bounded retries ---
# A failure that no retry mends: stop the job (called by hci_docker_retry with the reference).
# shellcheck disable=SC2317 # called by name, by hci_docker_retry
hci_push_permanent() {
  case $hci_out in
    *"not found"* | *"name unknown"* | *NOT_FOUND*)
      hci_fail 6 "cannot push $1: $hci_last. Check that the Harbor project $HCI_PROJECT exists (input project or HARBOR_PROJECT)."
      ;;
    *nauthorized* | *denied* | *"authentication required"*)
      hci_fail 6 "$HCI_REG refused the push of $1: $hci_last. The robot account '$HCI_USER' needs the Push permission on the project $HCI_PROJECT (Harbor: Robot Accounts > Permissions > Repository: Push), and a proxy cache project cannot be pushed to."
      ;;
    *x509* | *certificate* | *"http response to https"* | *"server gave HTTP response"*)
      hci_fail 6 "cannot push $1: $hci_last. $(hci_registry_hint "$hci_out")"
      ;;
  esac
}
# Pushes $1 and sets hci_digest from docker push's output (empty when it printed none).
hci_push() {
  if ! hci_docker_retry push "$1" "$HCI_PUSH_RETRIES" hci_push_permanent; then
    hci_fail 6 "cannot push $1 after $hci_try attempts (input push_retries: $HCI_PUSH_RETRIES). Last error: $hci_last. $(hci_registry_hint "$hci_out")"
  fi
  hci_digest=$(printf '%s\n' "$hci_out" | sed -n 's/.*digest: \(sha256:[0-9a-f]\{64\}\).*/\1/p' | tail -n 1)
}
hci_section_start hci_push "Pushing $HCI_REPO: $HCI_TAG_LIST"
HCI_DIGEST=""
hci_digests=""
for hci_t in $HCI_TAG_LIST; do
  hci_push "$HCI_REPO:$hci_t"
  if [ -z "$hci_digest" ]; then
    hci_digest=$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' -- "$HCI_REPO:$hci_t" | sed -n "s|^$HCI_REPO@||p" | tail -n 1) || true
  fi
  case $hci_digest in
    sha256:*) ;;
    *) hci_fail 7 "cannot read the digest of $HCI_REPO:$hci_t from docker push." ;;
  esac
  HCI_DIGEST=${HCI_DIGEST:-$hci_digest}
  hci_digests="$hci_digests $hci_t=$hci_digest"
done
hci_section_end hci_push
# Every tag must point to the one digest built above.
for hci_pair in $hci_digests; do
  if [ "${hci_pair#*=}" != "$HCI_DIGEST" ]; then
    hci_fail 7 "the tags do not point to one digest:$hci_digests. Another job pushed one of these tags at the same time; run the job again."
  fi
done
echo "All tags point to $HCI_DIGEST:$hci_digests"
