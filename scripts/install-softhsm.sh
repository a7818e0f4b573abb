#!/usr/bin/env bash
# SoftHSM2, a PKCS#11 token in software, for the HSM signer tests, from Debian's `softhsm2` package.
# Does nothing when softhsm2-util and the module are already installed. Prints the module's path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"
# Debian links /usr/lib/softhsm/libsofthsm2.so to the multiarch directory; other layouts have one of the two.
module_path() {
  local candidate
  for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*-linux-gnu/softhsm/libsofthsm2.so \
    /usr/lib64/softhsm/libsofthsm2.so /usr/local/lib/softhsm/libsofthsm2.so; do
    if [ -f "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
installed() { command -v softhsm2-util >/dev/null 2>&1 && module_path >/dev/null; }
install_debian_packages softhsm2 'the PKCS#11 signer tests' installed softhsm2
module_path || { echo "paystream: softhsm2 is installed but libsofthsm2.so was not found" >&2; exit 1; }
