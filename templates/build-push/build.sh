# shellcheck shell=sh
# --- build-push: build once ---
hci_section_start hci_build "Building $HCI_REPO:$HCI_FIRST_TAG" false
# BuildKit's messages about the cache are rewritten (awk, line by line as they come): a
# cache that does not exist yet (first build of a branch) is a note, not an ERROR line; a
# cache import or export that failed is a WARNING (the build goes on without it). Export
# failures are kept in cache-export-errors for the summary below.
rm -f "$HCI_DOCKER_CONFIG/cache-export-errors"
{
  if DOCKER_BUILDKIT=1 docker "$@" 2>&1; then hci_rc=0; else hci_rc=$?; fi
  echo "$hci_rc" >"$HCI_DOCKER_CONFIG/build-rc"
} | awk -v errors="$HCI_DOCKER_CONFIG/cache-export-errors" '
  match($0, /^#[0-9]+ /) {
    v = substr($0, 1, RLENGTH - 1)
    rest = substr($0, RLENGTH + 1)
    if (rest ~ /^importing cache manifest from /) kind[v] = "import"
    if (rest ~ /^exporting cache to /) kind[v] = "export"
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
  { print; fflush() }'
hci_rc=$(cat "$HCI_DOCKER_CONFIG/build-rc" 2>/dev/null || echo 1)
hci_section_end hci_build
if [ "$hci_rc" -eq 0 ] && [ -s "$HCI_DOCKER_CONFIG/cache-export-errors" ]; then
  hci_warn "the layer cache was not written to $HCI_CACHE_WRITE ($(head -n 1 "$HCI_DOCKER_CONFIG/cache-export-errors")). The image is built and is pushed now; the next build starts without this cache. Check the project's quota and that the robot may push there."
fi
if [ "$hci_rc" -ne 0 ]; then
  hci_fail 5 "docker build failed (exit code $hci_rc): the failing Dockerfile step is marked ERROR in the build output above."
fi
echo "Built image $(cat "$HCI_DOCKER_CONFIG/iid" 2>/dev/null)"
