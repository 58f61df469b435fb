# shellcheck shell=sh
# --- build-push: build once ---
hci_section_start hci_build "Building $HCI_REPO:$HCI_FIRST_TAG" false
if DOCKER_BUILDKIT=1 docker "$@"; then
  hci_rc=0
else
  hci_rc=$?
fi
hci_section_end hci_build
if [ "$hci_rc" -ne 0 ]; then
  hci_fail 5 "docker build failed (exit code $hci_rc): the failing Dockerfile step is marked ERROR in the build output above."
fi
echo "Built image $(cat "$HCI_DOCKER_CONFIG/iid" 2>/dev/null)"
