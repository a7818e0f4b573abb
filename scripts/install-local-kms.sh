#!/usr/bin/env bash
# The local AWS KMS emulator (github.com/nsmithuk/local-kms) for the KMS signer's tests, built from
# source at a pinned version into .local/bin. Does nothing when that version is already there; a
# lock serialises parallel callers so the binary is built once. Prints the binary's path.
set -euo pipefail

module=github.com/nsmithuk/local-kms
# The project publishes no tags: this is the pseudo-version of its newest commit (2026-02-28).
version=v0.0.0-20260228092603-2a5e92d09ab6

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.local/bin"
binary="$bin_dir/local-kms"

built_version() {
  [ -x "$binary" ] || return 0
  go version -m "$binary" 2>/dev/null | awk -v m="$module" '$1 == "mod" && $2 == m { print $3 }'
}
current() { [ "$(built_version)" = "$version" ]; }

command -v go >/dev/null 2>&1 || { echo "paystream: Go is required to build local-kms ($module@$version)" >&2; exit 1; }

if ! current; then
  mkdir -p "$bin_dir"
  exec 9>"$root/.local/local-kms-install.lock"
  flock 9
  if ! current; then
    echo "paystream: building $module@$version into .local/bin" >&2
    staging="$(mktemp -d "$bin_dir/.local-kms-build.XXXXXX")"
    trap 'rm -rf "$staging"' EXIT
    GOBIN="$staging" GOFLAGS=-buildvcs=false go install "$module@$version" >&2
    # A rename, so a test already running the old binary never sees a half-written file.
    mv -f "$staging/local-kms" "$binary"
  fi
  flock -u 9
  exec 9>&-
fi

echo "$binary"
