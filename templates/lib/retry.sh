# shellcheck shell=sh
# --- harbor-ci-components shell library: retries (bounded, with backoff) ---
# An attempt with bounded retries: $1 the verb and $2 the reference (for the messages), $3 how
# many retries, $4 a function that stops the job on a permanent failure (called with $2; it reads
# $hci_out, the output, and $hci_last, its last line), then the attempt itself: a command and its
# arguments, which returns 0 on success and otherwise sets hci_out and hci_last. Returns 1 when
# every attempt failed, waiting 2 s, 4 s, 8 s... in between.
hci_retry() {
  hci_retry_verb=$1
  hci_retry_ref=$2
  hci_retry_max=$3
  hci_retry_permanent=$4
  shift 4
  hci_try=1
  hci_delay=2
  while :; do
    if "$@"; then return 0; fi
    "$hci_retry_permanent" "$hci_retry_ref"
    if [ "$hci_try" -gt "$hci_retry_max" ]; then return 1; fi
    hci_warn "$hci_retry_verb of $hci_retry_ref failed (attempt $hci_try of $((hci_retry_max + 1))): $hci_last; retrying in ${hci_delay}s"
    sleep "$hci_delay"
    hci_try=$((hci_try + 1))
    hci_delay=$((hci_delay * 2))
  done
}
# One `docker push|pull -- REF` ($1, $2): the output is shown as it goes (a big image takes a
# while) and kept in $hci_out, its last line in $hci_last.
# shellcheck disable=SC2317 # called by name, by hci_retry
hci_docker_attempt() {
  hci_log=$(mktemp)
  {
    if docker "$1" -- "$2" 2>&1; then hci_rc=0; else hci_rc=$?; fi
    echo "$hci_rc" >"$hci_log.rc"
  } | tee "$hci_log"
  hci_out=$(cat "$hci_log")
  hci_rc=$(cat "$hci_log.rc")
  rm -f "$hci_log" "$hci_log.rc"
  hci_last=$(printf '%s\n' "$hci_out" | tail -n 1)
  [ "$hci_rc" = 0 ]
}
# `docker push|pull -- REF` with bounded retries: $1 the verb, $2 the reference, $3 how many
# retries, $4 the permanent-failure function (see hci_retry).
hci_docker_retry() {
  hci_retry "$1" "$2" "$3" "$4" hci_docker_attempt "$1" "$2"
}
