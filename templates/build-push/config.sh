# shellcheck shell=sh
# --- build-push: configuration (fails before building; names the variable or input to set) ---
# The registry, project and credentials; the tags; the build context and Dockerfile; the cache mode.
hci_section_start hci_config "Checking the configuration"
# Filled into template.yml by `npm run generate` from the @pattern of each input of inputs.ts whose
# default is "" (GitLab 17.0-18.2 cannot carry those patterns in spec:inputs; see input-checks.ts).
# --- BEGIN GENERATED INPUT CHECKS (npm run generate) ---
# --- END GENERATED INPUT CHECKS ---
hci_registry_config
# No value becomes a docker option or a path; checked after the runner's variable expansion,
# which GitLab's regex (matched before it) cannot see.
# shellcheck disable=SC2154 # set by hci_registry_config (templates/lib/registry.sh)
hci_plain_value "registry (from $hci_reg_source)" "$HCI_REG"
hci_plain_value "Harbor project (input project)" "$HCI_PROJECT"
hci_plain_value "input image_name" "$HCI_IMAGE_NAME"
if [ -z "$HCI_REG" ]; then
  hci_fail 2 "no registry: HARBOR_URL is not set. Activate the Harbor integration (Settings › Integrations › Harbor) or set the input registry (for example harbor.example.com:8443)."
fi
if hci_unset "$HCI_PROJECT"; then
  hci_fail 2 "no Harbor project: the input project (default \$HARBOR_PROJECT) is empty. Set the Harbor project name in Settings › Integrations › Harbor, or set the input project."
fi
if ! printf '%s' "$HCI_PROJECT" | grep -Eq '^[a-z0-9]+([._-][a-z0-9]+)*$'; then
  hci_fail 2 "'$HCI_PROJECT' is not a Harbor project name (lower-case letters, digits and . _ - between them): fix the input project or HARBOR_PROJECT."
fi
if [ -z "$HCI_USER" ]; then
  hci_fail 2 "$HCI_USERNAME_VARIABLE is empty or not set, so there is no registry user. Set the Username (a robot account such as robot\$my-project+ci) in Settings › Integrations › Harbor, or name another variable in the input username_variable."
fi
if [ -z "$HCI_PASS" ]; then
  hci_fail 2 "$HCI_PASSWORD_VARIABLE is empty or not set, so there is no registry password. Set the Password (the robot account's secret) in Settings › Integrations › Harbor, or name another variable in the input password_variable (a protected variable is only set in pipelines of protected branches and tags)."
fi
hci_positive_int push_retries "$HCI_PUSH_RETRIES"
HCI_REPO=$HCI_REG/$HCI_PROJECT/$HCI_IMAGE_NAME
# shellcheck disable=SC2154 # set by hci_registry_config (templates/lib/registry.sh)
echo "Repository: $HCI_REPO (registry from $hci_reg_source)"
# Tags: the input's list, the git tag on a tag pipeline, latest by policy; no duplicates.
HCI_TAG_LIST=""
hci_add_tag() {
  case $1 in
    [.-]* | *[!A-Za-z0-9_.-]*)
      hci_fail 2 "'$1' ($2) is not a valid Docker tag: letters, digits, _ . and - (not first), at most 128 characters. Use \$CI_COMMIT_REF_SLUG rather than \$CI_COMMIT_REF_NAME."
      ;;
  esac
  if [ "${#1}" -gt 128 ]; then
    hci_fail 2 "'$1' ($2) is longer than the 128 characters of a Docker tag."
  fi
  case " $HCI_TAG_LIST " in
    *" $1 "*) ;;
    *) HCI_TAG_LIST=${HCI_TAG_LIST:+$HCI_TAG_LIST }$1 ;;
  esac
}
set -f
# shellcheck disable=SC2153 # HCI_TAGS: the job variable of the input tags
for hci_t in $HCI_TAGS; do
  hci_add_tag "$hci_t" "from the input tags"
done
set +f
if [ -n "${CI_COMMIT_TAG:-}" ]; then
  hci_git_tag=$(printf '%s' "$CI_COMMIT_TAG" | tr -c 'A-Za-z0-9_.-' '-')
  while :; do
    case $hci_git_tag in
      [.-]*) hci_git_tag=${hci_git_tag#?} ;;
      *) break ;;
    esac
  done
  hci_git_tag=$(printf '%.128s' "$hci_git_tag")
  if [ "$hci_git_tag" != "$CI_COMMIT_TAG" ]; then
    echo "The git tag $CI_COMMIT_TAG is pushed as the Docker tag '$hci_git_tag'"
  fi
  if [ -n "$hci_git_tag" ]; then
    hci_add_tag "$hci_git_tag" "the git tag"
  fi
fi
case $HCI_LATEST in
  always)
    hci_add_tag latest "input latest: always"
    ;;
  default-branch)
    if [ -n "${CI_COMMIT_BRANCH:-}" ] && [ "$CI_COMMIT_BRANCH" = "${CI_DEFAULT_BRANCH:-}" ]; then
      hci_add_tag latest "input latest: default-branch"
    else
      echo "Not tagging latest: this pipeline is not for the default branch${CI_DEFAULT_BRANCH:+ $CI_DEFAULT_BRANCH} (input latest: default-branch)"
    fi
    ;;
  never) ;;
  *) hci_fail 2 "input latest is '$HCI_LATEST'; use default-branch, always or never." ;;
esac
if [ -z "$HCI_TAG_LIST" ]; then
  hci_fail 2 "no tag to push: the input tags is empty and latest does not apply to this pipeline. Set the input tags."
fi
# shellcheck disable=SC2034 # read by build-args.sh, build.sh and dotenv.sh
HCI_FIRST_TAG=${HCI_TAG_LIST%% *}
echo "Tags: $HCI_TAG_LIST"
# Context and Dockerfile (a path starting with - must not read as an option).
HCI_CTX=$HCI_CONTEXT
case $HCI_CTX in
  /* | ./* | ../*) ;;
  *) HCI_CTX=./$HCI_CTX ;;
esac
if [ ! -d "$HCI_CTX" ]; then
  hci_fail 2 "the build context '$HCI_CONTEXT' is not a directory of the repository: fix the input context."
fi
case $HCI_DOCKERFILE in
  /*) HCI_DF=$HCI_DOCKERFILE ;;
  *) HCI_DF=$HCI_CTX/$HCI_DOCKERFILE ;;
esac
if [ ! -f "$HCI_DF" ]; then
  hci_fail 2 "no Dockerfile at '$HCI_DF': the input dockerfile ('$HCI_DOCKERFILE') is relative to the input context ('$HCI_CONTEXT')."
fi
# Layer cache (input cache): checked here, chosen once the daemon is known (cache.sh).
case $HCI_CACHE in
  registry | inline | none) ;;
  true | false)
    hci_fail 2 "input cache is '$HCI_CACHE': since version 2.0.0 it is registry (the default), inline or none. Use registry or remove the input for cache: true (inline keeps the old inline cache), none for cache: false."
    ;;
  *) hci_fail 2 "input cache is '$HCI_CACHE'; use registry, inline or none." ;;
esac
hci_section_end hci_config
