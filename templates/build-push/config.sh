# shellcheck shell=sh
# --- build-push: configuration (fails before building; names the variable or input to set) ---
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
for hci_t in $HCI_IMAGE_TAGS; do
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
# Reproducible image timestamps: the image's `created` (config, history and the OCI label) is
# the commit's time, not the build's, so that rebuilding an unchanged commit gives the same
# image config. BuildKit >= 0.11 (also with the docker driver of dind) takes it from the
# build argument SOURCE_DATE_EPOCH. Order: a SOURCE_DATE_EPOCH variable, CI_COMMIT_TIMESTAMP
# (ISO 8601, any UTC offset), else the build time. Converted with awk arithmetic: busybox
# date cannot parse UTC offsets, and awk's printf %d overflows after 2038 (hence %.0f).
hci_commit_time() {
  awk 'function civil(z, era, doe, yoe, doy, mp, d, m, y) {
    z += 719468
    era = int(z / 146097)
    doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153)
    d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9
    if (m <= 2) y++
    return sprintf("%04d-%02d-%02d", y, m, d)
  }
  BEGIN {
    s = ARGV[1]
    if (s ~ /^[0-9]+$/) {
      e = s + 0
    } else {
      if (s !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][Tt ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]/) exit 1
      z = substr(s, 20)
      sub(/^[.,][0-9]+/, "", z)
      o = 0
      if (z ~ /^[+-][0-9][0-9]:?[0-9][0-9]$/) {
        g = substr(z, 1, 1)
        gsub(/[^0-9]/, "", z)
        o = (substr(z, 1, 2) * 60 + substr(z, 3, 2)) * 60
        if (g == "-") o = -o
      } else if (z != "" && z != "Z" && z != "z") {
        exit 1
      }
      y = substr(s, 1, 4) + 0
      m = substr(s, 6, 2) + 0
      d = substr(s, 9, 2) + 0
      if (m < 1 || m > 12 || d < 1 || d > 31) exit 1
      if (m <= 2) {
        y--
        m += 12
      }
      e = (365 * y + int(y / 4) - int(y / 100) + int(y / 400) + int((153 * (m - 3) + 2) / 5) + d - 719469) * 86400
      e += substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2) - o
    }
    if (e < 0) exit 1
    n = int(e / 86400)
    t = e - n * 86400
    printf "%.0f %sT%02d:%02d:%02dZ\n", e, civil(n), int(t / 3600), int(t % 3600 / 60), t % 60
    exit 0
  }' "$1"
}
hci_time=""
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  if hci_time=$(hci_commit_time "$SOURCE_DATE_EPOCH") && [ "$SOURCE_DATE_EPOCH" = "${hci_time%% *}" ]; then
    hci_time_source="the variable SOURCE_DATE_EPOCH"
  else
    hci_warn "SOURCE_DATE_EPOCH='$SOURCE_DATE_EPOCH' is not a number of seconds since 1970: ignored."
    hci_time=""
  fi
fi
if [ -z "$hci_time" ] && [ -n "${CI_COMMIT_TIMESTAMP:-}" ]; then
  if hci_time=$(hci_commit_time "$CI_COMMIT_TIMESTAMP"); then
    hci_time_source="CI_COMMIT_TIMESTAMP $CI_COMMIT_TIMESTAMP"
  else
    hci_warn "CI_COMMIT_TIMESTAMP='$CI_COMMIT_TIMESTAMP' is not an ISO 8601 time: the image gets the build time, and a rebuild a new digest."
    hci_time=""
  fi
fi
if [ -z "$hci_time" ]; then
  hci_time=$(hci_commit_time "$(date -u +%s)")
  hci_time_source="the build time: a rebuild gets a new digest"
fi
HCI_SOURCE_DATE_EPOCH=${hci_time%% *}
HCI_CREATED=${hci_time#* }
echo "Image timestamps: $HCI_CREATED (SOURCE_DATE_EPOCH=$HCI_SOURCE_DATE_EPOCH, from $hci_time_source)"
# The build's arguments, assembled in the positional parameters: every value is one argument,
# never parsed by the shell. `docker "$@"` in script runs it.
set -- build --progress=plain --file="$HCI_DF" --iidfile="$HCI_DOCKER_CONFIG/iid"
if [ -n "$HCI_TARGET" ]; then
  set -- "$@" --target="$HCI_TARGET"
fi
set -- "$@" \
  --label="org.opencontainers.image.source=${CI_PROJECT_URL:-}" \
  --label="org.opencontainers.image.revision=${CI_COMMIT_SHA:-}" \
  --label="org.opencontainers.image.created=$HCI_CREATED" \
  --label="org.opencontainers.image.version=${CI_COMMIT_TAG:-$HCI_FIRST_TAG}" \
  --label="org.opencontainers.image.title=$HCI_IMAGE_NAME" \
  --build-arg="SOURCE_DATE_EPOCH=$HCI_SOURCE_DATE_EPOCH"
hci_n=0
hci_names=""
while IFS= read -r hci_line || [ -n "$hci_line" ]; do
  hci_n=$((hci_n + 1))
  hci_line=${hci_line#"${hci_line%%[![:space:]]*}"}
  case $hci_line in
    '' | '#'*) continue ;;
    *=*) ;;
    *) hci_fail 2 "input labels, line $hci_n: '$hci_line' is not key=value." ;;
  esac
  hci_key=${hci_line%%=*}
  case $hci_key in
    '' | *[!A-Za-z0-9._/-]*) hci_fail 2 "input labels, line $hci_n: '$hci_key' is not a label key (letters, digits, . _ / -)." ;;
  esac
  set -- "$@" --label="$hci_line"
  hci_names="$hci_names $hci_key"
done <<HCI_EOF
$HCI_LABELS
HCI_EOF
echo "Labels: org.opencontainers.image.{source,revision,created,version,title}$hci_names"
hci_n=0
hci_names=""
while IFS= read -r hci_line || [ -n "$hci_line" ]; do
  hci_n=$((hci_n + 1))
  hci_line=${hci_line#"${hci_line%%[![:space:]]*}"}
  case $hci_line in
    '' | '#'*) continue ;;
  esac
  hci_key=${hci_line%%=*}
  case $hci_key in
    [!A-Za-z_]* | *[!A-Za-z0-9_]*)
      hci_fail 2 "input build_args, line $hci_n: '$hci_key' is not a build argument name (letters, digits, _; not a digit first)."
      ;;
  esac
  set -- "$@" --build-arg="$hci_line"
  hci_names="$hci_names $hci_key"
done <<HCI_EOF
$HCI_BUILD_ARGS
HCI_EOF
echo "Build arguments:${hci_names:- none}"
# Layer cache (input cache). registry: BuildKit's registry cache in mode max (every stage,
# builder stages too), one tag per branch, read from this branch then the default branch,
# written for this branch. inline: the image carries the cache of its own layers (final
# stage only). none. The arguments are added once the daemon is known (the store it uses).
case $HCI_CACHE in
  registry | inline | none) ;;
  true | false)
    hci_fail 2 "input cache is '$HCI_CACHE': since version 2.0.0 it is registry (the default), inline or none. Use registry or remove the input for cache: true (inline keeps the old inline cache), none for cache: false."
    ;;
  *) hci_fail 2 "input cache is '$HCI_CACHE'; use registry, inline or none." ;;
esac
# A branch name as a cache tag: lower case, letters, digits, . _ -, and a checksum when any
# character was replaced (8 hex digits of its SHA-256), so that feature/x and feature-x do not
# share (and overwrite) one cache.
hci_cache_tag() {
  hci_k=$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9._-' '-')
  hci_k=${hci_k#"${hci_k%%[!.-]*}"}
  if [ "$hci_k" = "$1" ]; then
    printf 'buildcache-%.100s' "$hci_k"
  else
    printf 'buildcache-%.90s-%.8s' "$hci_k" "$(printf '%s' "$1" | sha256sum)"
  fi
}
HCI_CACHE_READ=""
HCI_CACHE_WRITE=""
if [ "$HCI_CACHE" = registry ]; then
  # cache_repository is checked with the other empty-default inputs (generated checks above).
  hci_cache_repo=$HCI_REG/$HCI_PROJECT/${HCI_CACHE_REPOSITORY:-$HCI_IMAGE_NAME}
  # The branch: CI_COMMIT_BRANCH, else (a merge request pipeline) CI_COMMIT_REF_NAME; a tag
  # pipeline reads the default branch's cache and writes none (one cache per release would
  # only fill the registry).
  hci_branch=${CI_COMMIT_BRANCH:-}
  if [ -z "$hci_branch" ] && [ -z "${CI_COMMIT_TAG:-}" ]; then
    hci_branch=${CI_COMMIT_REF_NAME:-}
  fi
  if [ -n "$hci_branch" ]; then
    HCI_CACHE_WRITE=$hci_cache_repo:$(hci_cache_tag "$hci_branch")
    HCI_CACHE_READ=$HCI_CACHE_WRITE
  fi
  if [ -n "${CI_DEFAULT_BRANCH:-}" ] && [ "$CI_DEFAULT_BRANCH" != "$hci_branch" ]; then
    HCI_CACHE_READ="${HCI_CACHE_READ:+$HCI_CACHE_READ }$hci_cache_repo:$(hci_cache_tag "$CI_DEFAULT_BRANCH")"
  fi
fi
for hci_t in $HCI_TAG_LIST; do
  set -- "$@" --tag="$HCI_REPO:$hci_t"
done
hci_section_end hci_config
hci_section_start hci_docker "Waiting for the Docker daemon"
hci_docker_env
hci_wait_for_docker
if ! docker buildx version >/dev/null 2>&1; then
  hci_fail 5 "the Docker CLI of the job image has no buildx plugin (BuildKit): use docker:27 (input docker_image) or an image with docker-buildx."
fi
# The registry cache needs the containerd image store (turned on by the dind service's
# entrypoint); without it (an entrypoint that did not run, a preset daemon.json) the Docker
# driver cannot export it: the job falls back to the inline cache rather than failing.
if [ "$HCI_CACHE" = registry ]; then
  case $(docker info --format '{{json .DriverStatus}}' 2>/dev/null) in
    *io.containerd.snapshotter*) ;;
    *)
      hci_warn "the Docker daemon does not use the containerd image store, which the registry cache needs (the dind service's entrypoint turns it on unless /etc/docker/daemon.json exists or the runner ignores service entrypoints): this job uses the inline cache."
      HCI_CACHE=inline
      ;;
  esac
fi
HCI_DIRECT_PUSH=""
case $HCI_CACHE in
  registry)
    # One image manifest per tag, as with the other modes: no attestation manifest (with
    # the containerd store BuildKit adds one, making the tag an index that Harbor lists as
    # an extra unknown/unknown artifact).
    set -- "$@" --provenance=false
    for hci_ref in $HCI_CACHE_READ; do
      set -- "$@" --cache-from="type=registry,ref=$hci_ref"
    done
    set -f
    for hci_ref in $HCI_CACHE_FROM; do
      set -- "$@" --cache-from="$hci_ref"
    done
    set +f
    # image-manifest=true + oci-mediatypes=true: the cache is an OCI image manifest, which
    # Harbor stores; the default form, an index whose children are layers, is refused by
    # Harbor (goharbor/harbor#14774, moby/buildkit#2251). ignore-error: a refused cache
    # export is a warning, never a failed build.
    if [ -n "$HCI_CACHE_WRITE" ]; then
      set -- "$@" --cache-to="type=registry,ref=$HCI_CACHE_WRITE,mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true"
    fi
    # BuildKit pushes the image itself (every --tag), without storing it in the daemon
    # (store=false): the cached layers it reuses stay in the registry, never downloaded into
    # the daemon to be unpacked and pushed again. No layer travels when nothing changed.
    set -- "$@" --output=type=image,push=true,store=false --metadata-file="$HCI_DOCKER_CONFIG/build-metadata.json"
    # shellcheck disable=SC2034 # read by build.sh and push.sh
    HCI_DIRECT_PUSH=1
    echo "Layer cache: registry (every stage), read from ${HCI_CACHE_READ:-nothing}${HCI_CACHE_FROM:+ and $HCI_CACHE_FROM}; written to ${HCI_CACHE_WRITE:-nothing (tag pipeline)}"
    ;;
  inline)
    # Inline cache: the pushed image carries its cache metadata; the next build reuses its
    # layers (an unchanged rebuild pushes no layer). Missing images are skipped by BuildKit.
    set -- "$@" --build-arg=BUILDKIT_INLINE_CACHE=1
    hci_names=""
    for hci_t in $HCI_TAG_LIST latest; do
      case " $hci_names " in
        *" $HCI_REPO:$hci_t "*) ;;
        *) hci_names="$hci_names $HCI_REPO:$hci_t" ;;
      esac
    done
    set -f
    for hci_ref in $hci_names $HCI_CACHE_FROM; do
      set -- "$@" --cache-from="$hci_ref"
    done
    set +f
    echo "Layer cache: inline (final stage only), from:$hci_names $HCI_CACHE_FROM"
    ;;
  none)
    echo "Layer cache: off (input cache: none)"
    ;;
esac
set -- "$@" -- "$HCI_CTX"
hci_section_end hci_docker
hci_section_start hci_login "Logging in to $HCI_REG"
hci_registry_ca_check
hci_login
hci_section_end hci_login
