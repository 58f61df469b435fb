# shellcheck shell=sh
# --- build-push: the layer cache (input cache), then the build context as the last argument ---
# registry: BuildKit's registry cache in mode max (every stage, builder stages too), one tag per
# branch, read from this branch then the default branch, written for this branch. inline: the
# image carries the cache of its own layers (final stage only). none. Chosen once the daemon
# answers: the registry cache needs its containerd image store.
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
# Where the registry cache is read from and written to.
HCI_CACHE_READ=""
HCI_CACHE_WRITE=""
if [ "$HCI_CACHE" = registry ]; then
  # cache_repository is checked with the other empty-default inputs (generated checks in config.sh).
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
    hci_refs=""
    for hci_t in $HCI_TAG_LIST latest; do
      case " $hci_refs " in
        *" $HCI_REPO:$hci_t "*) ;;
        *) hci_refs="$hci_refs $HCI_REPO:$hci_t" ;;
      esac
    done
    set -f
    for hci_ref in $hci_refs $HCI_CACHE_FROM; do
      set -- "$@" --cache-from="$hci_ref"
    done
    set +f
    echo "Layer cache: inline (final stage only), from:$hci_refs $HCI_CACHE_FROM"
    ;;
  none)
    echo "Layer cache: off (input cache: none)"
    ;;
esac
# The context last, after `--`: a path starting with - is never read as an option.
set -- "$@" -- "$HCI_CTX"
