#!/bin/sh
# Build the Debian 13 (trixie) base image of the test images without any container registry:
# debootstrap a minbase root file system, slim it, `docker import` it.
# Usage: mkbase.sh <image:tag> <work-dir>      (root, Debian host with debootstrap)
# Environment: HARBOR_CI_DEBIAN_MIRROR (default http://deb.debian.org/debian)
set -eu
tag="$1"
work="$2"
mirror="${HARBOR_CI_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
root="$work/rootfs"

[ "$(id -u)" = 0 ] || { echo "mkbase: debootstrap needs root (run as root, or use HARBOR_CI_TEST_IMAGES=upstream)" >&2; exit 1; }
command -v debootstrap >/dev/null 2>&1 || { echo "mkbase: debootstrap is missing: run scripts/engine/ensure-engine.sh or apt-get install -y debootstrap" >&2; exit 1; }

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
