# shellcheck shell=sh
# --- build-push: log in to the registry (the push and the registry cache need it) ---
hci_section_start hci_login "Logging in to $HCI_REG"
hci_registry_ca_check
hci_login
hci_section_end hci_login
