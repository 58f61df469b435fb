# shellcheck shell=sh
# --- pull-run: wait for the Docker daemon (the dind service) ---
hci_section_start hci_docker "Waiting for the Docker daemon"
hci_docker_env
hci_wait_for_docker
hci_section_end hci_docker
