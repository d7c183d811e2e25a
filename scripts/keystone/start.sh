#!/usr/bin/env bash
# Start a throwaway real Keystone (sqlite, fernet tokens) on 127.0.0.1:<free port>.
#
#   scripts/keystone/start.sh [STATE_FILE]
#
# STATE_FILE defaults to $KEYSTONE_STATE, else <tempdir>/state.json. The state file and the last
# line of stdout are one JSON object: {"url","pid","dir","port","region","adminUser","adminPassword",
# "adminProject","log","conf"}. Stop it with scripts/keystone/stop.sh STATE_FILE.
set -euo pipefail

# Debian's keystone lives in the system python; never let a pyenv/venv python3 on PATH win.
PY=/usr/bin/python3
for bin in keystone-manage keystone-wsgi-public; do
  command -v "$bin" >/dev/null || { echo "keystone: $bin not found, run scripts/keystone/install.sh" >&2; exit 1; }
done

t0=$(date +%s%N)
dir=$(mktemp -d "${TMPDIR:-/tmp}/keystone.XXXXXX")
state=${1:-${KEYSTONE_STATE:-$dir/state.json}}
admin_password=${KEYSTONE_ADMIN_PASSWORD:-admin-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}
region=${KEYSTONE_REGION:-RegionOne}
user=$(id -un)
group=$(id -gn)

cleanup_on_error() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "keystone: start failed (rc=$rc); log tail:" >&2
    tail -n 40 "$dir/keystone.log" "$dir/server.log" 2>/dev/null >&2 || true
    [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
    [ -z "${KEYSTONE_KEEP_DIR:-}" ] && rm -rf "$dir"
  fi
}
trap cleanup_on_error EXIT

# A free loopback port (tiny race between close and bind; acceptable for tests).
port=${KEYSTONE_PORT:-$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')}
base="http://127.0.0.1:$port"

cat >"$dir/keystone.conf" <<CONF
[DEFAULT]
log_dir = $dir
log_file = keystone.log
debug = false
use_stderr = false

[database]
connection = sqlite:///$dir/keystone.db

[token]
provider = fernet
expiration = 3600

[fernet_tokens]
key_repository = $dir/fernet-keys

[fernet_receipts]
key_repository = $dir/fernet-keys

[credential]
key_repository = $dir/credential-keys

[identity]
# bcrypt cost 4 (minimum) instead of 12: seeding and each password token get much cheaper.
password_hash_rounds = 4

[cache]
# In-process memory cache: without it every authenticated call re-reads roles, catalog and
# revocations from sqlite (~0.3-0.4 s per request on this box); with it ~20-40 ms. It is one
# process, so revocation invalidates it at once.
enabled = true
backend = dogpile.cache.memory
CONF

bootstrap_args=(
  --bootstrap-password "$admin_password"
  --bootstrap-username admin
  --bootstrap-project-name admin
  --bootstrap-role-name admin
  --bootstrap-service-name keystone
  --bootstrap-region-id "$region"
  --bootstrap-admin-url "$base/v3"
  --bootstrap-internal-url "$base/v3"
  --bootstrap-public-url "$base/v3"
)
if [ -n "${KEYSTONE_MANAGE_STEPS:-}" ]; then
  # The documented way: four keystone-manage runs, ~3-5 s of imports each.
  km() { keystone-manage --config-file "$dir/keystone.conf" "$@" >>"$dir/manage.log" 2>&1; }
  km db_sync
  km fernet_setup --keystone-user "$user" --keystone-group "$group"
  km credential_setup --keystone-user "$user" --keystone-group "$group"
  km bootstrap "${bootstrap_args[@]}"
else
  # Same four steps in one interpreter (see setup.py).
  $PY "$(dirname "$0")/setup.py" "$dir/keystone.conf" -- "${bootstrap_args[@]}" >>"$dir/manage.log" 2>&1
fi

# sqlite's default rollback journal gives "database is locked" under concurrent writes.
$PY -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute("PRAGMA journal_mode=WAL").fetchone()[0]); c.close()' \
  "$dir/keystone.db" >>"$dir/manage.log"

# keystone-wsgi-public = wsgiref single-threaded dev server; binds only to 127.0.0.1.
setsid keystone-wsgi-public --host 127.0.0.1 --port "$port" -- --config-file "$dir/keystone.conf" \
  >"$dir/server.log" 2>&1 </dev/null &
pid=$!

# Importing keystone takes 3-4 s on an idle box, 15 s+ on a loaded CI runner.
wait_s=${KEYSTONE_START_TIMEOUT:-90}
deadline=$(( $(date +%s) + wait_s ))
ready=
while [ "$(date +%s)" -lt "$deadline" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "keystone: server exited early" >&2; exit 1; fi
  if curl -fs -o /dev/null --max-time 2 "$base/v3"; then ready=1; break; fi
  sleep 0.1
done
[ -n "$ready" ] || { echo "keystone: $base/v3 did not answer within ${wait_s}s" >&2; exit 1; }

ms=$(( ($(date +%s%N) - t0) / 1000000 ))
json=$(printf '{"url":"%s/v3","port":%s,"pid":%s,"dir":"%s","region":"%s","adminUser":"admin","adminPassword":"%s","adminProject":"admin","adminDomain":"default","conf":"%s/keystone.conf","log":"%s/keystone.log","startMs":%s}' \
  "$base" "$port" "$pid" "$dir" "$region" "$admin_password" "$dir" "$dir" "$ms")
mkdir -p "$(dirname "$state")"
printf '%s\n' "$json" >"$state"
echo "keystone: up at $base/v3 pid $pid in ${ms}ms (state: $state)" >&2
printf '%s\n' "$json"
