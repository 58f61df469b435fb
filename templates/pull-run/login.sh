# shellcheck shell=sh
# --- pull-run: log in to the registry, when the image is in the Harbor registry (config.sh) ---
if [ "$HCI_LOGIN" = yes ]; then
  hci_section_start hci_login "Logging in to $HCI_REG"
  hci_registry_ca_check
  hci_login
  hci_section_end hci_login
fi
