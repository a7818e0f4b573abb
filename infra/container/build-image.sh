#!/usr/bin/env bash
# Builds the worker image from a release artifact with Podman (infra/container/podman.sh): extracts
# the artifact into a build context beside tini and the health check, makes the base here unless
# BASE names one (build-base.sh), and tags the image paystream:<version>. Prints the image's name.
#
#   infra/container/build-image.sh dist/paystream-1.0.0-linux-x64.tar.gz
#   BASE=gcr.io/distroless/cc-debian12:nonroot infra/container/build-image.sh dist/paystream-….tar.gz
set -euo pipefail
artifact="$(readlink -f "${1:?usage: build-image.sh dist/paystream-<version>-linux-x64.tar.gz}")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tini="${TINI:-/usr/bin/tini-static}"
[ -f "$artifact" ] || { echo "paystream: no artifact at $artifact (npm run release makes one)" >&2; exit 1; }
[ -x "$tini" ] || { echo "paystream: no static tini at $tini (scripts/install-podman.sh installs Debian's tini)" >&2; exit 1; }

context="$(mktemp -d "${TMPDIR:-/tmp}/paystream-image-XXXXXX")"
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/paystream" "$context/state"
# The artifact holds one folder, paystream-<version>/; the image has it at /opt/paystream.
tar -xzf "$artifact" -C "$context/paystream" --strip-components=1 --no-same-owner
version="$(tr -d ' \n' <"$context/paystream/VERSION")"
# Node.js in a layer of its own: it changes with scripts/node-version only, so a new release of the
# application reuses that layer and rebuilds just the application's.
mv "$context/paystream/node" "$context/node"
cp "$tini" "$context/tini"
cp "$here/healthcheck.mjs" "$context/healthcheck.mjs"

base="${BASE:-$("$here/build-base.sh" "$context")}"
name="localhost/paystream:$version"
previous="$("$here/podman.sh" image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)"
# Docker's format: the OCI image format has no HEALTHCHECK, so Podman would drop it.
built="$("$here/podman.sh" build --quiet --format docker \
  --build-arg "BASE=$base" --build-arg "VERSION=$version" \
  --tag "$name" --file "$here/Containerfile" "$context")"
# The image the tag named before is left without a name: removed, unless a container still uses it.
if [ -n "$previous" ] && [ "$previous" != "$built" ]; then
  "$here/podman.sh" rmi "$previous" >/dev/null 2>&1 || true
fi
echo "$name"
