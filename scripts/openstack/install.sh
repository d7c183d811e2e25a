#!/usr/bin/env bash
# Install a real OpenStack Zed control plane (Keystone, Glance, Placement, Nova, Cinder, Neutron)
# from Debian 12's packages, plus MariaDB and RabbitMQ, for `pnpm test:openstack-real`.
#
#   scripts/openstack/install.sh        (root; about 100 s and 1.35 GiB the first time, 1 s after)
#
# Only the python3-* libraries are installed, not the *-common service packages: those bring
# debconf prompts, system users and init scripts we do not want. Their paste/rootwrap files are
# unpacked from the .debs into $OS_ETC (default /opt/hybrid-broker-openstack/etc) instead.
# Idempotent: a second run checks and logs the versions, nothing else.
set -euo pipefail

OS_ETC=${OS_ETC:-/opt/hybrid-broker-openstack/etc}
PKGS=(python3-keystone python3-glance python3-placement python3-nova python3-cinder python3-neutron
  python3-pymysql mariadb-server rabbitmq-server curl)
COMMON=(nova-common glance-common cinder-common neutron-common)

log_versions() {
  echo "openstack: package versions:"
  dpkg-query -W -f='  ${Package} ${Version}\n' "${PKGS[@]}"
}

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
extracted=1
for p in "${COMMON[@]}"; do [ -d "$OS_ETC/$p" ] || extracted=0; done
if [ "${#missing[@]}" -eq 0 ] && [ $extracted = 1 ]; then
  echo "openstack: already installed"
  log_versions
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "openstack: install needs root (missing: ${missing[*]:-config files in $OS_ETC})" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s)
df0=$(df --output=used -k / | tail -1)
APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
"${APT[@]}" update >/dev/null
# Package postinsts would start mariadb and rabbitmq as system services; start.sh runs its own.
made_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  made_policy=1
fi
trap '[ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
if [ "${#missing[@]}" -gt 0 ]; then
  # force-unsafe-io: no fsync per file; a throwaway CI machine can rerun after a crash.
  "${APT[@]}" install --no-install-recommends -o Dpkg::Options::=--force-unsafe-io "${missing[@]}" \
    >"${TMPDIR:-/tmp}/hybrid-broker-openstack-apt.log" 2>&1 ||
    { echo "openstack: apt-get install failed; tail:" >&2; tail -n 30 "${TMPDIR:-/tmp}/hybrid-broker-openstack-apt.log" >&2; exit 1; }
fi
# The package may have started distro services on our ports; stop them if systemd is around.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now mariadb rabbitmq-server >/dev/null 2>&1 || true; fi

mkdir -p "$OS_ETC"
work=$(mktemp -d)
for p in "${COMMON[@]}"; do
  [ -d "$OS_ETC/$p" ] && continue
  (cd "$work" && apt-get -o APT::Sandbox::User=root download "$p" >/dev/null && dpkg-deb -x "$p"_*.deb "$OS_ETC/$p.tmp" && mv "$OS_ETC/$p.tmp" "$OS_ETC/$p")
done
rm -rf "$work"
df1=$(df --output=used -k / | tail -1)
echo "openstack: installed in $(( $(date +%s) - t0 )) s, disk +$(( (df1 - df0) / 1024 )) MiB"
log_versions
