# shellcheck shell=sh
# --- build-push: the image's timestamps (the commit's time, for reproducible images) ---
# The image's `created` (config, history and the OCI label) is the commit's time, not the
# build's, so that rebuilding an unchanged commit gives the same image config. BuildKit >= 0.11
# (also with the docker driver of dind) takes it from the build argument SOURCE_DATE_EPOCH.
# Order: a SOURCE_DATE_EPOCH variable, CI_COMMIT_TIMESTAMP (ISO 8601, any UTC offset), else the
# build time. Sets HCI_SOURCE_DATE_EPOCH (seconds) and HCI_CREATED (RFC 3339, UTC).
# "SECONDS ISO-TIME" of $1 (seconds since 1970, or ISO 8601 with any UTC offset); fails on
# anything else. awk arithmetic: busybox date cannot parse UTC offsets, and awk's printf %d
# overflows after 2038 (hence %.0f).
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
