#!/usr/bin/env bash
# Headless Chromium for the browser tests (the 3DS challenge page), from Debian's packages. Does
# nothing when a chromium is already on the PATH.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"
installed() { command -v chromium >/dev/null 2>&1; }
install_debian_packages chromium 'the browser tests' installed chromium
command -v chromium
