#!/usr/bin/env bash
# Set Nova's [cinder] cross_az_attach on the running stack and restart what reads it.
#
#   scripts/openstack/cross-az.sh true|false
#
# Both nova-api and nova-compute check it: with only the API restarted, the attach answers 200
# and nova-compute then refuses it in the background (the volume stays available).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/ports.sh"
case "${1:-}" in true | false) ;; *) echo "usage: $0 true|false" >&2; exit 2 ;; esac
export OS_CROSS_AZ_ATTACH=$1
. "$HERE/stack-env.sh"
"$HERE/write-config.sh"
"$HERE/write-state.sh"
for n in nova-api nova-compute; do
  [ -f "$D/pids/$n.pid" ] || { echo "openstack: $n is not running; start the stack first" >&2; exit 1; }
  pid=$(cat "$D/pids/$n.pid")
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || true
done
date -u +%Y-%m-%dT%H:%M:%S >"$D/started-at"
setsid "$D/bin/nova-api" --config-file "$D/etc/nova.conf" >>"$D/log/nova-api.out" 2>&1 </dev/null &
echo $! >"$D/pids/nova-api.pid"
setsid "$D/bin/nova-compute" --config-file "$D/etc/nova-compute.conf" >>"$D/log/nova-compute.out" 2>&1 </dev/null &
echo $! >"$D/pids/nova-compute.pid"
for _ in $(seq 1 240); do curl -s -m 5 -o /dev/null "http://127.0.0.1:$PORT_NOVA/" && break; sleep 0.25; done
/usr/bin/python3 "$HERE/wait-ready.py" "$D"
echo "openstack: cross_az_attach = $1" >&2
