# shellcheck shell=sh
# --- build-push: wait for the Docker daemon (the dind service), and check buildx ---
hci_section_start hci_docker "Waiting for the Docker daemon"
hci_docker_env
hci_wait_for_docker
if ! docker buildx version >/dev/null 2>&1; then
  hci_fail 5 "the Docker CLI of the job image has no buildx plugin (BuildKit): use docker:27 (input docker_image) or an image with docker-buildx."
fi
hci_section_end hci_docker
