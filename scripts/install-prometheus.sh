#!/usr/bin/env bash
# Prometheus and promtool for the alert-rule and dashboard tests, from Debian's `prometheus`
# package. Does nothing when both are already on the PATH. The tests run their own server on a free
# port: the packaged system service is never started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"
installed() { command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; }
# The package's maintainer scripts would start the system service on :9090. A policy-rc.d that
# answers 101 forbids it; one already present (container images ship it) is left as it is.
policy=/usr/sbin/policy-rc.d
if ! installed && [ "$(id -u)" = 0 ] && [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
install_debian_packages prometheus 'the alert and dashboard tests' installed prometheus
command -v prometheus
