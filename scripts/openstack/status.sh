#!/usr/bin/env bash
# Print "running" when every service of the stack has a live pid, "partial" or "stopped" otherwise.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/ports.sh"
live=0 total=0
for n in $OS_SERVICES; do
  total=$((total + 1))
  [ -f "$OS_STATE_DIR/pids/$n.pid" ] && kill -0 "$(cat "$OS_STATE_DIR/pids/$n.pid")" 2>/dev/null && live=$((live + 1))
done
if [ $live = $total ]; then echo running; elif [ $live = 0 ]; then echo stopped; else echo partial; fi
