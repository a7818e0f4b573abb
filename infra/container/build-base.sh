#!/usr/bin/env bash
# Makes the image's base here, where no registry is reachable: a root filesystem holding only what
# the bundled Node.js needs from the host — the dynamic loader and the libraries `ldd` names for
# node and for any native addon of the release — plus the few files under /etc that glibc and
# Podman expect. It is imported with `podman import` and tagged by the SHA-256 of its (reproducible)
# tar, so a second build with the same host libraries reuses it.
#
#   infra/container/build-base.sh DIR   # holding node/bin/node (an extracted release); prints the base's name
set -euo pipefail
release="${1:?usage: build-base.sh DIR (holding node/bin/node: an extracted paystream release)}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
uid=10001
gid=10001
[ -x "$release/node/bin/node" ] || { echo "paystream: $release/node/bin/node is missing" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/paystream-base-XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{etc,tmp,var/tmp,run,proc,sys,dev,lib64,lib/x86_64-linux-gnu}

# Every shared object the ELF files load, resolved on this host (`=> /path` and the loader itself).
libraries() {
  { echo "$release/node/bin/node"; find "$release" -name '*.node' -type f; } | while read -r elf; do
    ldd "$elf" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
  done | sort -u
}
for lib in $(libraries); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

# Names for the two ids, for tools that look them up (`podman top`, `ps`); the worker needs none.
printf 'root:x:0:0:root:/root:/sbin/nologin\npaystream:x:%s:%s:paystream:/var/lib/paystream:/sbin/nologin\n' "$uid" "$gid" >"$root/etc/passwd"
printf 'root:x:0:\npaystream:x:%s:\n' "$gid" >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
# Podman and Kubernetes mount their own over these; they only need to exist in a read-only root.
: >"$root/etc/hosts"
: >"$root/etc/resolv.conf"
: >"$root/etc/hostname"
chmod 1777 "$root/tmp" "$root/var/tmp"

# Reproducible: same files, same bytes, same hash.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/base.tar" .
name="localhost/paystream-base:$(sha256sum "$work/base.tar" | cut -c1-16)"
if ! "$here/podman.sh" image exists "$name"; then
  "$here/podman.sh" import --quiet \
    --change 'LABEL org.opencontainers.image.description="glibc and libstdc++ for the bundled Node.js, from the build host"' \
    "$work/base.tar" "$name" >/dev/null
fi
echo "$name"
