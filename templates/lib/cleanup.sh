# shellcheck shell=sh
# --- remove the registry credentials (runs even when the job failed) ---
if [ -n "${HCI_DOCKER_CONFIG:-}" ] && [ -d "$HCI_DOCKER_CONFIG" ]; then
  if [ -s "$HCI_DOCKER_CONFIG/hci-registry" ]; then
    DOCKER_CONFIG=$HCI_DOCKER_CONFIG docker logout -- "$(cat "$HCI_DOCKER_CONFIG/hci-registry")" >/dev/null 2>&1 || true
  fi
  rm -rf "$HCI_DOCKER_CONFIG"
  echo "Logged out; removed the Docker client configuration $HCI_DOCKER_CONFIG"
fi
