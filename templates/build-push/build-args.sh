# shellcheck shell=sh
# --- build-push: the build's arguments (Dockerfile, target, labels, build arguments, tags) ---
# Assembled in the positional parameters: every value is one argument, never parsed by the
# shell. cache.sh adds the layer cache's and the context; `docker "$@"` in build.sh runs them.
hci_nl='
'
# The lines of a `key=value` input as options, one per line: $1 the input's name, $2 the option
# (--label), $3 what a key is (label: key=value, with letters, digits, . _ / -; name: a build
# argument, NAME=value or NAME alone, letters, digits, _ and not a digit first), $4 the input's
# value. Leading blanks are trimmed, empty lines and #-comments skipped; any other line that
# does not fit stops the job, naming the input and the line. Appends "$2=line" and a newline to
# hci_options for each line (a line holds no newline, so each stays one argument), and sets
# hci_keys to " key1 key2...". Values are data: nothing in them is evaluated.
hci_key_value_lines() {
  hci_n=0
  hci_keys=""
  while IFS= read -r hci_line || [ -n "$hci_line" ]; do
    hci_n=$((hci_n + 1))
    hci_line=${hci_line#"${hci_line%%[![:space:]]*}"}
    case $hci_line in
      '' | '#'*) continue ;;
    esac
    case $3:$hci_line in
      *=*) ;;
      label:*) hci_fail 2 "input $1, line $hci_n: '$hci_line' is not key=value." ;;
      # A name alone (the job's variable of that name): trailing blanks are not part of it.
      name:*) hci_line=${hci_line%"${hci_line##*[![:space:]]}"} ;;
    esac
    hci_key=${hci_line%%=*}
    case $3:$hci_key in
      label:'' | label:*[!A-Za-z0-9._/-]*)
        hci_fail 2 "input $1, line $hci_n: '$hci_key' is not a label key (letters, digits, . _ / -)."
        ;;
      name:'' | name:[!A-Za-z_]* | name:*[!A-Za-z0-9_]*)
        hci_fail 2 "input $1, line $hci_n: '$hci_key' is not a build argument name (letters, digits, _; not a digit first)."
        ;;
    esac
    hci_options=$hci_options$2=$hci_line$hci_nl
    hci_keys="$hci_keys $hci_key"
  done <<HCI_EOF
$4
HCI_EOF
}
set -- build --progress=plain --file="$HCI_DF" --iidfile="$HCI_DOCKER_CONFIG/iid"
if [ -n "$HCI_TARGET" ]; then
  set -- "$@" --target="$HCI_TARGET"
fi
# The OCI labels first: a later --label of the input labels overrides one of them.
set -- "$@" \
  --label="org.opencontainers.image.source=${CI_PROJECT_URL:-}" \
  --label="org.opencontainers.image.revision=${CI_COMMIT_SHA:-}" \
  --label="org.opencontainers.image.created=$HCI_CREATED" \
  --label="org.opencontainers.image.version=${CI_COMMIT_TAG:-$HCI_FIRST_TAG}" \
  --label="org.opencontainers.image.title=$HCI_IMAGE_NAME" \
  --build-arg="SOURCE_DATE_EPOCH=$HCI_SOURCE_DATE_EPOCH"
hci_options=""
hci_key_value_lines labels --label label "$HCI_LABELS"
echo "Labels: org.opencontainers.image.{source,revision,created,version,title}$hci_keys"
hci_key_value_lines build_args --build-arg name "$HCI_BUILD_ARGS"
echo "Build arguments:${hci_keys:- none}"
# One argument per line of hci_options: split on newlines only (IFS), with pathname expansion
# off (set -f), so that no value is split at a blank, matched as a pattern or evaluated.
set -f
IFS=$hci_nl
# shellcheck disable=SC2086 # split on purpose, at newlines only
set -- "$@" $hci_options
unset IFS
for hci_t in $HCI_TAG_LIST; do
  set -- "$@" --tag="$HCI_REPO:$hci_t"
done
set +f
