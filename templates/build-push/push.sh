# shellcheck shell=sh
# shellcheck disable=SC2154 # hci_out, hci_last, hci_try: set by hci_docker_retry (templates/lib/retry.sh); hci_digests: by build.sh
# --- build-push: push every tag of that one image, with bounded retries ---
# (hci_push_permanent and hci_push_failed are in build.sh: the registry cache's build pushes
# too.)
# Pushes $1 and sets hci_digest from docker push's output (empty when it printed none).
hci_push() {
  hci_docker_retry push "$1" "$HCI_PUSH_RETRIES" hci_push_permanent || hci_push_failed "$1"
  hci_digest=$(printf '%s\n' "$hci_out" | sed -n 's/.*digest: \(sha256:[0-9a-f]\{64\}\).*/\1/p' | tail -n 1)
}
hci_section_start hci_push "Pushing $HCI_REPO: $HCI_TAG_LIST"
HCI_DIGEST=""
if [ -n "$HCI_DIRECT_PUSH" ]; then
  # Pushed by BuildKit straight from the build (build.sh): the layers the registry already
  # has were not downloaded into the daemon, nor uploaded again.
  echo "BuildKit pushed every tag during the build: nothing more to push."
  HCI_DIGEST=${hci_digests# }
  HCI_DIGEST=${HCI_DIGEST%% *}
  HCI_DIGEST=${HCI_DIGEST#*=}
  case $HCI_DIGEST in
    sha256:*) ;;
    *)
      # No progress line to read (another BuildKit's wording): buildx's metadata file.
      HCI_DIGEST=$(sed -n 's/.*"containerimage\.digest": *"\(sha256:[0-9a-f]\{64\}\)".*/\1/p' "$HCI_DOCKER_CONFIG/build-metadata.json" 2>/dev/null | head -n 1) || true
      case $HCI_DIGEST in
        sha256:*) ;;
        *) hci_fail 7 "cannot read the digest BuildKit pushed for $HCI_REPO:$HCI_FIRST_TAG (no 'pushing manifest for' line in the build output, no containerimage.digest in $HCI_DOCKER_CONFIG/build-metadata.json)." ;;
      esac
      hci_digests=""
      for hci_t in $HCI_TAG_LIST; do hci_digests="$hci_digests $hci_t=$HCI_DIGEST"; done
      ;;
  esac
else
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
fi
hci_section_end hci_push
# Every tag must point to the one digest built above.
for hci_pair in $hci_digests; do
  if [ "${hci_pair#*=}" != "$HCI_DIGEST" ]; then
    hci_fail 7 "the tags do not point to one digest:$hci_digests. Another job pushed one of these tags at the same time; run the job again."
  fi
done
echo "All tags point to $HCI_DIGEST:$hci_digests"
