# shellcheck shell=sh
# --- pull-run: run; the job fails with the container's exit code ---
hci_section_start hci_run "Running $HCI_IMAGE" false
if docker "$@"; then
  hci_rc=0
else
  hci_rc=$?
fi
hci_section_end hci_run
case $hci_rc in
  0)
    echo "The container exited with code 0"
    ;;
  125)
    printf 'ERROR: %s\n' "docker run failed before the container started (exit code 125): see the message above; check the inputs run_options and entrypoint." >&2
    ;;
  126 | 127)
    printf 'ERROR: %s\n' "the container's command could not be run (exit code $hci_rc): check the input command (or entrypoint) against the image." >&2
    ;;
  *)
    printf 'ERROR: %s\n' "the container exited with code $hci_rc" >&2
    ;;
esac
exit "$hci_rc"
