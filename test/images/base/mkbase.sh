#!/bin/sh
# Build the Debian 13 (trixie) base image of the test images without any container registry:
# debootstrap a minbase root file system, slim it, `docker import` it.
# Usage: mkbase.sh <image:tag> <work-dir>      (root, Debian host with debootstrap)
# Environment: HARBOR_CI_DEBIAN_MIRROR (default: the host's own Debian mirror, read from its apt
# sources: /etc/apt/sources.list.d/*.sources, then /etc/apt/sources.list*)
set -eu
tag="$1"
work="$2"
root="$work/rootfs"

# The first Debian archive (not the security one) of the host's apt sources: deb822 stanzas
# (Types/URIs/Suites), then one-line `deb [options] URI suite components` entries.
host_mirror() {
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush() { if (types ~ /(^| )deb( |$)/ && uri != "" && suites !~ /-security/ && uri !~ /security/ && !found) { print uri; found = 1 } types = ""; uri = ""; suites = "" }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*#/ { next }
      tolower($1) == "types:" { $1 = ""; types = $0 }
      tolower($1) == "uris:" { uri = $2 }
      tolower($1) == "suites:" { $1 = ""; suites = $0 }
      END { flush() }
    ' "$f"
  done | head -n 1 | grep . && return 0
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ } if ($(i + 1) !~ /-security/ && $i !~ /security/) { print $i; exit } }' "$f"
  done | head -n 1 | grep .
}
mirror=${HARBOR_CI_DEBIAN_MIRROR:-$(host_mirror || true)}
if [ -z "$mirror" ]; then
  echo "mkbase: no Debian mirror in the host's apt sources (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list): set HARBOR_CI_DEBIAN_MIRROR to one (an http:// URL of a Debian archive)" >&2
  exit 1
fi

[ "$(id -u)" = 0 ] || {
  echo "mkbase: debootstrap needs root (run as root, or use HARBOR_CI_TEST_IMAGES=upstream)" >&2
  exit 1
}
command -v debootstrap >/dev/null 2>&1 || {
  echo "mkbase: debootstrap is missing: run scripts/engine/ensure-engine.sh or apt-get install -y debootstrap" >&2
  exit 1
}

rm -rf "$root"
mkdir -p "$work"
echo "mkbase: debootstrap --variant=minbase trixie ($mirror)"
debootstrap --variant=minbase trixie "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 20 "$work/debootstrap.log" >&2
  echo "mkbase: debootstrap failed (full log: $work/debootstrap.log); check access to $mirror" >&2
  exit 1
}

# Same slimming as the official debian images: no package caches, docs or man pages in layers.
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
CONF
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/docker-no-recommends"
printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/docker-no-languages"
cat >"$root/etc/dpkg/dpkg.cfg.d/docker-excludes" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CONF
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
  "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/root/.cache
# The build host's resolver and name must not leak into the image; docker supplies its own.
: >"$root/etc/resolv.conf"
echo localhost >"$root/etc/hostname"

echo "mkbase: docker import $tag"
tar --numeric-owner -C "$root" -c . | docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$tag" >/dev/null
rm -rf "$root"
