#!/usr/bin/env bash
# Install a real OpenStack Keystone (Debian bookworm: Zed 22.0.x) for the integration suite.
# Idempotent: does nothing when the packages are already installed. Must run as root.
set -euo pipefail

PKGS=(python3-keystone uwsgi-core uwsgi-plugin-python3)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ] && command -v keystone-manage >/dev/null && command -v keystone-wsgi-public >/dev/null; then
  echo "keystone: already installed ($(dpkg-query -W -f='${Version}' python3-keystone))"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "keystone: install needs root (missing: ${missing[*]})" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
# Refresh the index only when it is missing or the install fails on a stale one
# (lists are stored compressed: *_Packages.lz4 / .gz / .xz).
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  apt-get update -qq
fi
# force-unsafe-io: no fsync per file; ~170 small python packages unpack much faster. Safe for a
# throwaway CI/test machine (a crash mid-install just means rerunning this script).
apt_install() {
  apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-unsafe-io "$@" >/dev/null
}
if ! apt_install "${missing[@]}"; then
  apt-get update -qq
  apt_install "${missing[@]}"
fi
# The package may start a system keystone service (apache/uwsgi) on port 5000; we do not use it.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now keystone >/dev/null 2>&1 || true; fi
echo "keystone: installed $(dpkg-query -W -f='${Version}' python3-keystone) in $(( $(date +%s) - start ))s"
