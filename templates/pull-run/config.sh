# shellcheck shell=sh
# --- pull-run: configuration (the image, its registry, the container's arguments) ---
hci_section_start hci_config "Checking the configuration"
# Filled into template.yml by `npm run generate` from the @pattern of each input of inputs.ts whose
# default is "" (GitLab 17.0-18.2 cannot carry those patterns in spec:inputs; see input-checks.ts).
# --- BEGIN GENERATED INPUT CHECKS (npm run generate) ---
# --- END GENERATED INPUT CHECKS ---
if hci_unset "$HCI_IMAGE"; then
  hci_fail 2 "no image to run: the input image (default \$IMAGE_REF, from a build-push job's dotenv report) is empty. Put the build-push job in this job's needs (input needs), or set the input image."
fi
case $HCI_IMAGE in
  *[!A-Za-z0-9._/:@-]* | [!A-Za-z0-9]*)
    hci_fail 2 "'$HCI_IMAGE' is not an image reference (repository:tag or repository@digest): fix the input image."
    ;;
esac
hci_positive_int pull_retries "$HCI_PULL_RETRIES"
# The image's registry: its first path component when it has a . or : or is localhost.
HCI_IMAGE_REGISTRY=docker.io
case $HCI_IMAGE in
  */*)
    case ${HCI_IMAGE%%/*} in
      *.* | *:* | localhost) HCI_IMAGE_REGISTRY=${HCI_IMAGE%%/*} ;;
    esac
    ;;
esac
hci_registry_config
# No value becomes a docker option or a path; checked after the runner's variable expansion,
# which GitLab's regex (matched before it) cannot see.
# shellcheck disable=SC2154 # set by hci_registry_config (templates/lib/registry.sh)
hci_plain_value "registry (from $hci_reg_source)" "$HCI_REG"
hci_plain_value "input image" "$HCI_IMAGE"
# HCI_LOGIN: whether login.sh logs in (pull.sh reads it too): only to the Harbor registry, with
# credentials.
# shellcheck disable=SC2034 # read by login.sh and pull.sh
HCI_LOGIN=no
# shellcheck disable=SC2034 # read by login.sh and pull.sh
if [ -z "$HCI_REG" ]; then
  echo "No Harbor registry (HARBOR_URL and the input registry are empty): pulling $HCI_IMAGE anonymously"
elif [ "$HCI_IMAGE_REGISTRY" != "$HCI_REG" ]; then
  echo "$HCI_IMAGE is not in the Harbor registry $HCI_REG: pulling it anonymously"
elif [ -z "$HCI_USER" ] || [ -z "$HCI_PASS" ]; then
  echo "No credentials ($HCI_USERNAME_VARIABLE or $HCI_PASSWORD_VARIABLE is empty): pulling $HCI_IMAGE anonymously (enough for a public project)"
else
  HCI_LOGIN=yes
fi
# The container's arguments, assembled in the positional parameters: every line is one
# argument, never parsed by the shell. `docker "$@"` in script runs it.
set -- run --rm --pull=never
hci_n=0
while IFS= read -r hci_line || [ -n "$hci_line" ]; do
  hci_n=$((hci_n + 1))
  hci_line=${hci_line#"${hci_line%%[![:space:]]*}"}
  case $hci_line in
    '' | '#'*) continue ;;
    -*) set -- "$@" "$hci_line" ;;
    *) hci_fail 2 "input run_options, line $hci_n: '$hci_line' is not an option (write one --option=value per line)." ;;
  esac
done <<HCI_EOF
$HCI_RUN_OPTIONS
HCI_EOF
if [ -n "$HCI_ENTRYPOINT" ]; then
  set -- "$@" --entrypoint="$HCI_ENTRYPOINT"
fi
set -- "$@" -- "$HCI_IMAGE"
hci_n=0
while IFS= read -r hci_line || [ -n "$hci_line" ]; do
  if [ -n "$hci_line" ]; then
    set -- "$@" "$hci_line"
    hci_n=$((hci_n + 1))
  fi
done <<HCI_EOF
$HCI_COMMAND
HCI_EOF
if [ "$hci_n" -eq 0 ]; then
  echo "Command: the image's default"
else
  echo "Command: $hci_n argument(s) from the input command"
fi
hci_section_end hci_config
