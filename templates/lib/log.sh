# shellcheck shell=sh
# --- harbor-ci-components shell library: the job log (sections, warnings, errors) ---
# GitLab's collapsible log sections; a third argument `false` leaves the section open.
hci_section_start() {
  hci_opts="[collapsed=true]"
  if [ "${3:-true}" = false ]; then
    hci_opts=""
  fi
  printf '\033[0Ksection_start:%s:%s%s\r\033[0K%s\n' "$(date +%s)" "$1" "$hci_opts" "$2"
}
hci_section_end() {
  printf '\033[0Ksection_end:%s:%s\r\033[0K\n' "$(date +%s)" "$1"
}
hci_warn() {
  printf 'WARNING: %s\n' "$*" >&2
}
hci_fail() {
  hci_code=$1
  shift
  printf 'ERROR: %s\n' "$*" >&2
  exit "$hci_code"
}
