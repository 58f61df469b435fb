# shellcheck shell=sh
# --- harbor-ci-components shell library: generic helpers (values, variables by name, time limits) ---
# A value that reaches docker as an argument or a path: never an option (`-x`), never `..`.
hci_plain_value() {
  case $2 in
    -*) hci_fail 2 "$1 '$2' starts with '-', which docker would read as an option." ;;
    *..*) hci_fail 2 "$1 '$2' contains '..', which would name a parent directory." ;;
  esac
}
# A whole number for input $1 (its value $2), else the job stops naming the input.
hci_positive_int() {
  case $2 in
    '' | *[!0-9]*) hci_fail 2 "input $1 must be a whole number, not '$2'." ;;
  esac
}
# True when a value is empty or still holds a `$` (a variable reference that did not expand).
hci_unset() {
  case $1 in
    '' | *'$'*) return 0 ;;
  esac
  return 1
}
# The value of the variable named $1 (read through awk: no eval, multi-line values kept).
hci_env() {
  awk 'BEGIN { printf "%s", ENVIRON[ARGV[1]]; exit }' "$1"
}
# A command with a time limit of $1 seconds, where the image has `timeout` (else without one).
hci_timeout() {
  if command -v timeout >/dev/null 2>&1; then
    timeout "$@"
  else
    shift
    "$@"
  fi
}
