# shellcheck shell=sh
# shellcheck disable=SC2154 # hci_out, hci_last, hci_try: set by hci_retry (templates/lib/retry.sh) and its attempts
# --- build-push: build once; with the registry cache, BuildKit also pushes ---
# A push failure that no retry mends: stop the job ($1: the reference; reads $hci_out).
hci_push_permanent() {
  case $hci_out in
    *"not found"* | *"name unknown"* | *NOT_FOUND*)
      hci_fail 6 "cannot push $1: $hci_last. Check that the Harbor project $HCI_PROJECT exists (input project or HARBOR_PROJECT)."
      ;;
    *nauthorized* | *denied* | *"authentication required"* | *" 403 "* | *Forbidden*)
      hci_fail 6 "$HCI_REG refused the push of $1: $hci_last. The robot account '$HCI_USER' needs the Push permission on the project $HCI_PROJECT (Harbor: Robot Accounts > Permissions > Repository: Push), and a proxy cache project cannot be pushed to."
      ;;
    *x509* | *certificate* | *"http response to https"* | *"server gave HTTP response"*)
      hci_fail 6 "cannot push $1: $hci_last. $(hci_registry_hint "$hci_out")"
      ;;
  esac
}
# Every attempt to push $1 failed (hci_retry returned 1): stop the job.
hci_push_failed() {
  hci_fail 6 "cannot push $1 after $hci_try attempts (input push_retries: $HCI_PUSH_RETRIES). Last error: $hci_last. $(hci_registry_hint "$hci_out")"
}
# One build: docker "$@", its output shown as it comes and kept in build-log; sets hci_rc.
# BuildKit's messages about the cache are rewritten (awk, line by line): a cache that does not
# exist yet (first build of a branch) is a note, not an ERROR line; a cache import or export
# that failed is a WARNING (the build goes on without it). Export failures are kept in
# cache-export-errors for the summary below. The second push of buildx before 0.22 (see below)
# fails on a tag that BuildKit has pushed: not an ERROR line either.
hci_build_once() {
  rm -f "$HCI_DOCKER_CONFIG/cache-export-errors" "$HCI_DOCKER_CONFIG/build-metadata.json"
  {
    if DOCKER_BUILDKIT=1 docker "$@" 2>&1; then hci_rc=0; else hci_rc=$?; fi
    echo "$hci_rc" >"$HCI_DOCKER_CONFIG/build-rc"
  } | awk -v errors="$HCI_DOCKER_CONFIG/cache-export-errors" '
    match($0, /^#[0-9]+ /) {
      v = substr($0, 1, RLENGTH - 1)
      rest = substr($0, RLENGTH + 1)
      if (rest ~ /^importing cache manifest from /) kind[v] = "import"
      if (rest ~ /^exporting cache to /) kind[v] = "export"
      if (rest ~ /^pushing manifest for /) {
        r = substr(rest, 22)
        sub(/@sha256:.*/, "", r)
        pushed[r] = 1
      }
      if (rest ~ /^pushing [^ ]+ with docker$/) {
        kind[v] = "repush"
        ref[v] = substr(rest, 9)
        sub(/ with docker$/, "", ref[v])
      }
      if (kind[v] == "repush" && rest ~ /^ERROR: tag does not exist: / && pushed[ref[v]]) {
        print v " skipped: the Docker daemon does not keep the image, which BuildKit pushed above"
        fflush()
        next
      }
      if (kind[v] != "" && rest ~ /^ERROR: /) {
        msg = substr(rest, 8)
        if (kind[v] == "import" && msg ~ /: not found$/) {
          sub(/^failed to configure registry cache importer: /, "", msg)
          sub(/: not found$/, "", msg)
          print v " no cache at " msg " yet (first build of this branch, or expired): nothing to import"
        } else if (kind[v] == "import") {
          print v " WARNING: cannot read the cache, building without it: " msg
        } else {
          print v " WARNING: cannot write the cache: " msg
          print msg >>errors
        }
        fflush()
        next
      }
    }
    /^ERROR: tag does not exist: / && pushed[substr($0, 28)] { next }
    { print; fflush() }' | tee "$HCI_DOCKER_CONFIG/build-log"
  hci_rc=$(cat "$HCI_DOCKER_CONFIG/build-rc" 2>/dev/null || echo 1)
}
# The digests BuildKit pushed, read from its progress ("pushing manifest for REPO:TAG@DIGEST"):
# sets hci_digests (" tag=digest" for each tag pushed) and hci_unpushed (the tags not pushed).
hci_pushed_tags() {
  hci_digests=""
  hci_unpushed=""
  for hci_t in $HCI_TAG_LIST; do
    hci_d=$(awk -v ref="$HCI_REPO:$hci_t@" '
      match($0, /^#[0-9]+ pushing manifest for /) {
        rest = substr($0, RLENGTH + 1)
        if (index(rest, ref) == 1) { d = substr(rest, length(ref) + 1, 71) }
      }
      END { print d }' "$HCI_DOCKER_CONFIG/build-log")
    case $hci_d in
      sha256:*) hci_digests="$hci_digests $hci_t=$hci_d" ;;
      *) hci_unpushed="$hci_unpushed $hci_t" ;;
    esac
  done
}
# One registry-cache build, which pushes too (an attempt for hci_retry): 0 when BuildKit pushed
# every tag; otherwise hci_out and hci_last hold the last ERROR line.
hci_build_push_attempt() {
  hci_build_once "$@"
  hci_pushed_tags
  # buildx before 0.22 pushes a second time through the daemon once BuildKit has pushed
  # (docker/buildx 4f7d145, "avoid double pushing with docker driver with containerd"); the
  # daemon does not hold the image (store=false), so that second push fails on a tag that
  # BuildKit has already pushed: the image is in the registry, the job goes on.
  if [ "$hci_rc" -ne 0 ] && [ -z "$hci_unpushed" ] && grep -q "^#[0-9]* pushing $HCI_REPO:[^ ]* with docker\$" "$HCI_DOCKER_CONFIG/build-log"; then
    echo "Note: BuildKit pushed every tag (above); this buildx then pushes again through the Docker daemon, which does not keep the image (no layer downloaded into it), so that second push is skipped. buildx 0.22 or newer (job image docker:28 or newer) does not try it."
    hci_rc=0
  fi
  [ "$hci_rc" -eq 0 ] && return 0
  hci_last=$(grep '^ERROR: ' "$HCI_DOCKER_CONFIG/build-log" | tail -n 1) || true
  hci_out=$hci_last
  return 1
}
# A failed registry-cache build that no retry mends: the build's own failure (the last ERROR
# line does not name the push), or a push refused for good (hci_push_permanent). A retry builds
# again from the daemon's cache and pushes.
hci_build_push_permanent() {
  case $hci_last in
    *"failed to push"* | *" pushing "*) hci_push_permanent "$1" ;;
    *)
      hci_section_end hci_build
      hci_build_failed
      ;;
  esac
}
hci_build_failed() {
  hci_fail 5 "docker build failed (exit code $hci_rc): the failing Dockerfile step is marked ERROR in the build output above."
}
hci_section_start hci_build "Building $HCI_REPO:$HCI_FIRST_TAG" false
if [ -z "$HCI_DIRECT_PUSH" ]; then
  hci_build_once "$@"
elif ! hci_retry push "$HCI_REPO:$HCI_FIRST_TAG" "$HCI_PUSH_RETRIES" hci_build_push_permanent hci_build_push_attempt "$@"; then
  hci_section_end hci_build
  hci_push_failed "$HCI_REPO:$HCI_FIRST_TAG"
fi
hci_section_end hci_build
if [ "$hci_rc" -eq 0 ] && [ -s "$HCI_DOCKER_CONFIG/cache-export-errors" ]; then
  hci_warn "the layer cache was not written to $HCI_CACHE_WRITE ($(head -n 1 "$HCI_DOCKER_CONFIG/cache-export-errors")). The image is built and is pushed now; the next build starts without this cache. Check the project's quota and that the robot may push there."
fi
if [ "$hci_rc" -ne 0 ]; then
  hci_build_failed
fi
if [ -n "$HCI_DIRECT_PUSH" ]; then
  echo "Built and pushed by BuildKit:$hci_digests"
else
  echo "Built image $(cat "$HCI_DOCKER_CONFIG/iid" 2>/dev/null)"
fi
