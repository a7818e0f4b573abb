#!/usr/bin/env bash
# Headless Chromium for the browser tests (the 3DS challenge page), from Debian's packages. Does
# nothing when a chromium is already on the PATH.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  command -v chromium
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "paystream: Chromium is needed for the browser tests; install Debian's 'chromium' package (apt-get install chromium)" >&2
  exit 1
fi
echo "paystream: installing Debian's chromium for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
command -v chromium
