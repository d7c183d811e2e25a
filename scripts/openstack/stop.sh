#!/usr/bin/env bash
# Stop what scripts/openstack/start.sh started, by its recorded pids only (each was started with
# setsid, so the pid is its process group: forked workers go with it). OpenStack services first,
# then RabbitMQ, epmd and MariaDB; SIGKILL after OS_STOP_GRACE seconds (default 8). State is kept:
# the next start reuses it; `rm -rf $OS_STATE_DIR` gives a clean slate. Safe to run again.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/ports.sh"
D=$OS_STATE_DIR
GRACE=${OS_STOP_GRACE:-8}
stop_group() {
  local n pid pids=() names=()
  for n in "$@"; do
    [ -f "$D/pids/$n.pid" ] || continue
    pid=$(cat "$D/pids/$n.pid")
    rm -f "$D/pids/$n.pid"
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    pids+=("$pid"); names+=("$n")
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  local deadline=$(( $(date +%s) + GRACE )) p alive
  while :; do
    alive=0; for p in "${pids[@]}"; do kill -0 -- "-$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    [ "$(date +%s)" -lt "$deadline" ] || { for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done; break; }
    sleep 0.25
  done
  echo "openstack: stopped ${names[*]}" >&2
}
[ -d "$D/pids" ] || { echo "openstack: nothing to stop ($D)" >&2; exit 0; }
stop_group cinder-volume cinder-scheduler cinder-api nova-compute nova-api nova-scheduler nova-conductor \
  neutron-server placement-api glance-api keystone
stop_group rabbitmq
stop_group epmd mysql
exit 0
