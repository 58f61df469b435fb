# shellcheck shell=sh
# --- harbor-ci-components shell library: log sections, warnings, errors and values ---
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
# A value that reaches docker as an argument or a path: never an option (`-x`), never `..`.
hci_plain_value() {
  case $2 in
    -*) hci_fail 2 "$1 '$2' starts with '-', which docker would read as an option." ;;
    *..*) hci_fail 2 "$1 '$2' contains '..', which would name a parent directory." ;;
  esac
}
hci_timeout() {
  if command -v timeout >/dev/null 2>&1; then
    timeout "$@"
  else
    shift
    "$@"
  fi
}
# The value of the variable named $1 (read through awk: no eval, multi-line values kept).
hci_env() {
  awk 'BEGIN { printf "%s", ENVIRON[ARGV[1]]; exit }' "$1"
}
# True when a value is empty or still holds a `$` (a variable reference that did not expand).
hci_unset() {
  case $1 in
    '' | *'$'*) return 0 ;;
  esac
  return 1
}
