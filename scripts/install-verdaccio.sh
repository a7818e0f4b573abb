#!/usr/bin/env bash
# Installs the Verdaccio npm registry (pinned) into .local/verdaccio for the client-package tests,
# once: the marker file is written last, so an interrupted install is done again. Prints the path
# of its executable script.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="6.10.4"
dir="$root/.local/verdaccio-$version"
if [ ! -f "$dir/.installed" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  echo '{"private":true}' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "verdaccio@$version" >&2
  touch "$dir/.installed"
fi
echo "$dir/node_modules/verdaccio/bin/verdaccio"
