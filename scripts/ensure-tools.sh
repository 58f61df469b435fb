#!/bin/sh
# Install the command-line tools the unit tests and `npm run check` call (shellcheck lints every
# .sh file, busybox runs the component scripts, shfmt checks their format) when they are
# missing: as root on Debian through apt, elsewhere with a clear message.
set -eu
missing=""
command -v shellcheck >/dev/null 2>&1 || missing="$missing shellcheck"
command -v busybox >/dev/null 2>&1 || missing="$missing busybox"
command -v shfmt >/dev/null 2>&1 || missing="$missing shfmt"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ERROR: missing tools:$missing. Install them (Debian/Ubuntu: apt-get install$missing; macOS: brew install$missing) and re-run." >&2
  exit 1
fi
echo "[tools] installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || {
  echo "ERROR: apt-get update failed: check access to the Debian mirror." >&2
  exit 1
}
# shellcheck disable=SC2086 # the package list is meant to split
apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
  echo "ERROR: apt-get install$missing failed." >&2
  exit 1
}
echo "[tools] installed:$missing"
