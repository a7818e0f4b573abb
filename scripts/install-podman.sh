#!/usr/bin/env bash
# Podman (with runc) for the container image's build and test, from Debian's packages, plus tini,
# which the image copies in as its PID 1. Does nothing when all are installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"
installed() { command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1 && [ -x /usr/bin/tini-static ]; }
install_debian_packages podman 'the container image' installed podman runc tini
command -v podman
