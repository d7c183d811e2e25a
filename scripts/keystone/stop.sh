#!/usr/bin/env bash
# Stop a Keystone started by start.sh and remove its temp dir.
#   scripts/keystone/stop.sh STATE_FILE   (or $KEYSTONE_STATE)
set -euo pipefail
state=${1:-${KEYSTONE_STATE:-}}
[ -n "$state" ] && [ -f "$state" ] || { echo "keystone: no state file (${state:-unset}); nothing to stop" >&2; exit 0; }

field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" "$state"; }
pid=$(field pid)
dir=$(field dir)

if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  # Only kill it if it still is our keystone server (pids get reused).
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q keystone-wsgi-public; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
fi
# Remove only a directory that start.sh made.
case "$dir" in
  */keystone.??????) [ -f "$dir/keystone.conf" ] && rm -rf "$dir" ;;
  *) echo "keystone: refusing to remove unexpected dir '$dir'" >&2 ;;
esac
[ -f "$state" ] && rm -f "$state"
echo "keystone: stopped pid ${pid:-?}" >&2
