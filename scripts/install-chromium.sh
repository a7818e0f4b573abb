#!/usr/bin/env bash
# Headless Chromium for the browser tests (the 3DS challenge page), from Debian's packages. Does
# nothing when a chromium is already on the PATH. Test projects run in parallel and more than one
# may need the browser at once: the install is serialised by a lock, and whoever waited finds it
# installed. dpkg's own lock is waited for too, in case something else is installing packages.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  command -v chromium
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "paystream: Chromium is needed for the browser tests; install Debian's 'chromium' package (apt-get install chromium)" >&2
  exit 1
fi
lock_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.local"
mkdir -p "$lock_dir"
exec 9>"$lock_dir/chromium-install.lock"
flock -w 900 9 || { echo "paystream: waited 15 minutes for another Chromium install to finish" >&2; exit 1; }
if ! command -v chromium >/dev/null 2>&1; then
  echo "paystream: installing Debian's chromium for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium >&2
fi
command -v chromium
