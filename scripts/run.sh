#!/usr/bin/env bash
# Runs a command inside the project's toolchain: Node.js 24 (provisioned from the npm registry's
# `node` package when the system Node is older) and an installed, lockfile-fresh node_modules.
# Nothing is installed globally; everything lands under .local/ or node_modules/.
set -euo pipefail

here="$PWD"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

node_version="$(tr -d ' \n' < scripts/node-version)"
want_major="${node_version%%.*}"
local_node_dir="$root/.local/node"

have_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

if [ "$(have_major)" -lt "$want_major" ]; then
  if [ ! -x "$local_node_dir/node_modules/node/bin/node" ] \
     || [ "$("$local_node_dir/node_modules/node/bin/node" -p process.versions.node)" != "$node_version" ]; then
    command -v npm >/dev/null 2>&1 || { echo "paystream: npm is required to provision Node.js $node_version" >&2; exit 1; }
    echo "paystream: system Node is $(node --version 2>/dev/null || echo missing); installing Node.js $node_version into .local/node" >&2
    mkdir -p "$local_node_dir"
    npm install --prefix "$local_node_dir" --no-save --no-audit --no-fund --loglevel=error "node@$node_version" >&2
  fi
  export PATH="$local_node_dir/node_modules/node/bin:$PATH"
  # Native addons (the PKCS#11 binding) build against this Node's own headers: no download.
  for headers in "$local_node_dir"/node_modules/node/node_modules/node-linux-*; do
    [ -f "$headers/include/node/node_api.h" ] && export npm_config_nodedir="$headers"
  done
fi

# Reinstall when package-lock.json or the fixes installed over the dependencies (npm's postinstall
# runs scripts/patch-dependencies.mjs) changed since the last install, or nothing is installed yet.
# Several commands may start at once (an editor, a test run, a demo): one installs, the others wait
# for it under the lock and then find the stamp fresh.
stamp="node_modules/.paystream-lock-hash"
lock_hash() {
  [ -f package-lock.json ] || return 0
  cat package-lock.json scripts/patch-dependencies.mjs scripts/patches/*/* 2>/dev/null | sha256sum | cut -d' ' -f1 || true
}
fresh() { [ -n "$(lock_hash)" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(lock_hash)" ] && [ -x node_modules/.bin/nx ]; }
if ! fresh; then
  mkdir -p .local
  exec 9>.local/install.lock
  flock 9
  if ! fresh; then
    echo "paystream: installing dependencies with Node $(node --version)" >&2
    rm -f "$stamp"
    if [ -n "$(lock_hash)" ]; then npm ci --no-audit --no-fund --loglevel=error >&2; else npm install --no-audit --no-fund --loglevel=error >&2; fi
    lock_hash > "$stamp"
  fi
  flock -u 9
  exec 9>&-
fi

export PATH="$root/node_modules/.bin:$PATH"
export NX_NO_CLOUD=true NX_TUI=false NX_DAEMON="${NX_DAEMON:-false}"
# The command runs where it was started, so `cd packages/x && bash ../../scripts/run.sh vitest run`
# tests that project; npm scripts start at the root anyway.
cd "$here"
exec "$@"
