#!/usr/bin/env bash
# Podman as the image is built and run here: runc (crun fails on this kernel), cgroups managed by
# Podman itself (there is no systemd to ask), and containers.conf beside this script. Every argument
# is passed on: `infra/container/podman.sh images`, `… run --rm paystream:1.0.0 --help`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="$here/containers.conf"
exec podman --runtime runc --cgroup-manager=cgroupfs "$@"
