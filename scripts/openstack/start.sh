#!/usr/bin/env bash
# Start the real OpenStack stack (scripts/openstack/install.sh first) on 127.0.0.1, as background
# processes of this user with pid files, logs and state under $OS_STATE_DIR
# (default ${TMPDIR:-/tmp}/hybrid-broker-openstack; ports in ports.sh).
#
#   scripts/openstack/start.sh          # prints the state JSON (keystone URL, credentials, regions) last
#
# The first run creates the databases, Keystone and Nova's cells (~40 s); a later run reuses them
# (~25 s); a run while the stack is up only re-checks readiness. Fails fast, with the log tail of
# the service at fault, when a process dies or a readiness check runs out (OS_READY_TIMEOUT, 240 s).
# Nova's [cinder] cross_az_attach is OS_CROSS_AZ_ATTACH (default false); see cross-az.sh.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/ports.sh"
D=$OS_STATE_DIR
PY=/usr/bin/python3 # Debian's OpenStack lives in the system python, not a venv's
for m in nova cinder glance placement neutron keystone pymysql; do
  [ -d "/usr/lib/python3/dist-packages/$m" ] || { echo "openstack: python3-$m missing; run scripts/openstack/install.sh" >&2; exit 1; }
done
[ -d "$OS_ETC/nova-common" ] || { echo "openstack: $OS_ETC missing; run scripts/openstack/install.sh" >&2; exit 1; }
mkdir -p "$D"/{log,pids,bin,etc,lock}
T0=$(date +%s%N)
ts() { printf 'openstack: [%5.1fs] %s\n' "$(( ($(date +%s%N) - T0) / 1000000 ))e-3" "$*" >&2; }
tail_logs() { # the last lines of a service's logs, for the failure message
  local n=$1 f
  for f in "$D/log/$n.out" "$D/log/$n.log"; do [ -s "$f" ] && { echo "--- tail $f" >&2; tail -n 25 "$f" >&2; }; done
  return 0
}
fail() { # fail SERVICE MESSAGE: say what, show its log tail, stop what this run started (OS_KEEP_ON_FAILURE=1 keeps it)
  echo "openstack: $2" >&2
  tail_logs "$1"
  local e
  for e in "${sync_pids[@]:-}"; do [ -n "$e" ] && kill "${e#*:}" 2>/dev/null; done
  [ -n "${OS_KEEP_ON_FAILURE:-}" ] || "$HERE/stop.sh" >&2
  exit 1
}
alive() { [ -f "$D/pids/$1.pid" ] && kill -0 "$(cat "$D/pids/$1.pid")" 2>/dev/null; }

# Already up: only the readiness check (an idempotent re-run).
up=1; for n in $OS_SERVICES; do alive "$n" || up=0; done
if [ $up = 1 ] && [ -f "$D/state.json" ]; then
  ts "already running"
  "$PY" "$HERE/wait-ready.py" "$D"
  cat "$D/state.json"
  exit 0
fi
# Partly up (a crash, a killed run): stop what is left and start clean on the kept state.
for n in $OS_SERVICES; do alive "$n" && { ts "partly running; stopping first"; "$HERE/stop.sh" >&2; break; }; done
for p in $ALL_PORTS; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "openstack: port $p is taken by another process; set OS_PORT_BASE to move the stack's ports (ports.sh)" >&2
    exit 1
  fi
done
date -u +%Y-%m-%dT%H:%M:%S >"$D/started-at"
FIRST=0; [ -f "$D/.initialized" ] || FIRST=1
sync_pids=()
. "$HERE/stack-env.sh"

start() { # start NAME CMD...: in the background with a pid file, output to log/NAME.out
  local n=$1; shift
  setsid "$@" >"$D/log/$n.out" 2>&1 </dev/null &
  echo $! >"$D/pids/$n.pid"
}
wait_until() { # wait_until NAME SECONDS CMD...: poll CMD, fail fast if NAME's process died
  local n=$1 s=$2; shift 2
  local deadline=$(( $(date +%s) + s ))
  while ! "$@" >/dev/null 2>&1; do
    alive "$n" || fail "$n" "$n exited during start"
    [ "$(date +%s)" -lt "$deadline" ] || fail "$n" "$n not answering after ${s}s"
    sleep 0.25
  done
  ts "$n up"
}
http_ok() { curl -s -m 5 -o /dev/null "$1"; }
tcp_ok() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A wrapper per console script: the Debian packages' own scripts live in the *-common packages we skip.
for w in nova-manage:nova.cmd.manage nova-api:nova.cmd.api nova-conductor:nova.cmd.conductor \
  nova-scheduler:nova.cmd.scheduler nova-compute:nova.cmd.compute cinder-manage:cinder.cmd.manage \
  cinder-api:cinder.cmd.api cinder-scheduler:cinder.cmd.scheduler cinder-volume:cinder.cmd.volume \
  glance-manage:glance.cmd.manage glance-api:glance.cmd.api neutron-server:neutron.cmd.eventlet.server \
  neutron-db-manage:neutron.db.migration.cli; do
  printf '#!%s\nimport sys\nfrom %s import main\n' "$PY" "${w#*:}" >"$D/bin/${w%%:*}"
  # Cinder's notifier needs the shim below (after main's import: cinder.cmd.* monkey-patch first).
  case $w in cinder-*) printf 'import cinder_notify_shim\n' >>"$D/bin/${w%%:*}" ;; esac
  printf 'sys.argv[0] = "%s"\nsys.exit(main())\n' "${w%%:*}" >>"$D/bin/${w%%:*}"
  chmod +x "$D/bin/${w%%:*}"
done
# Debian 12's oslo.messaging 14.0.3-0+deb12u1 sends a notification's context through
# RequestContext.from_dict with only its "safe" keys; Cinder 21.3.1's from_dict then passes
# read_deleted=None and raises, which fails every volume create once notifications are on.
# The shim defaults read_deleted to "no", as Nova's from_dict does.
cp "$HERE/cinder_notify_shim.py" "$D/bin/cinder_notify_shim.py"
"$HERE/write-config.sh"

# ------------------------------------------------------------------ MariaDB and RabbitMQ
if [ ! -d "$D/mysql/mysql" ]; then
  mariadb-install-db --no-defaults --datadir="$D/mysql" --user="$(id -un)" --auth-root-authentication-method=normal \
    --skip-test-db >"$D/log/mysql-install.log" 2>&1 || fail mysql-install "mariadb-install-db failed"
fi
start mysql /usr/sbin/mariadbd --no-defaults --datadir="$D/mysql" --socket="$D/mysql.sock" --pid-file="$D/mysql/mysqld.pid" \
  --port="$PORT_MYSQL" --bind-address=127.0.0.1 --user="$(id -un)" --skip-log-bin --skip-name-resolve --max-connections=1000 \
  --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-buffer-pool-size=128M --log-error="$D/log/mysql.log"
export HOME="$D/rabbitmq" RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
  RABBITMQ_NODE_PORT="$PORT_RABBIT" RABBITMQ_DIST_PORT="$PORT_RABBIT_DIST" ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT="$PORT_EPMD" \
  RABBITMQ_MNESIA_BASE="$D/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$D/rabbitmq/log" RABBITMQ_PID_FILE="$D/rabbitmq/pid" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$D/rabbitmq/enabled_plugins" RABBITMQ_CONFIG_FILE="$D/rabbitmq/rabbitmq" \
  RABBITMQ_ADVANCED_CONFIG_FILE="$D/rabbitmq/advanced.config"
mkdir -p "$D/rabbitmq/log"
echo '[].' >"$D/rabbitmq/enabled_plugins"
printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users.guest = true\nlog.console = true\nlog.console.level = warning\n' "$PORT_RABBIT" >"$D/rabbitmq/rabbitmq.conf"
# epmd started by us, so stop.sh owns its pid (a distro epmd would outlive the stack).
start epmd /usr/bin/epmd -address 127.0.0.1 -port "$PORT_EPMD"
start rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
mysql_ok() { mariadb-admin --socket="$D/mysql.sock" -uroot ping; }
wait_until mysql 60 mysql_ok
if [ $FIRST = 1 ]; then
  mariadb --socket="$D/mysql.sock" -uroot -e "CREATE USER IF NOT EXISTS 'os'@'127.0.0.1' IDENTIFIED BY '$DB_PW';
    GRANT ALL ON *.* TO 'os'@'127.0.0.1';
    CREATE DATABASE IF NOT EXISTS keystone; CREATE DATABASE IF NOT EXISTS glance; CREATE DATABASE IF NOT EXISTS placement;
    CREATE DATABASE IF NOT EXISTS nova_api; CREATE DATABASE IF NOT EXISTS nova; CREATE DATABASE IF NOT EXISTS nova_cell0;
    CREATE DATABASE IF NOT EXISTS cinder; CREATE DATABASE IF NOT EXISTS neutron;"
  # Schema syncs run alongside Keystone's init; each logs to log/NAME-init.log.
  ( "$D/bin/glance-manage" --config-file "$D/etc/glance-api.conf" db_sync ) >"$D/log/glance-init.log" 2>&1 & sync_pids+=("glance:$!")
  ( OS_PLACEMENT_CONFIG_DIR="$D/etc/placement" placement-manage --config-file "$D/etc/placement/placement.conf" db sync ) >"$D/log/placement-init.log" 2>&1 & sync_pids+=("placement:$!")
  ( NM=("$D/bin/nova-manage" --config-file "$D/etc/nova.conf")
    "${NM[@]}" api_db sync && "${NM[@]}" cell_v2 map_cell0 --database_connection "$DB/nova_cell0" &&
    { "${NM[@]}" cell_v2 create_cell --name cell1 || [ $? = 2 ]; } &&
    "${NM[@]}" db sync ) >"$D/log/nova-init.log" 2>&1 & sync_pids+=("nova:$!")
  ( "$D/bin/cinder-manage" --config-file "$D/etc/cinder.conf" db sync ) >"$D/log/cinder-init.log" 2>&1 & sync_pids+=("cinder:$!")
  ( "$D/bin/neutron-db-manage" --config-file "$D/etc/neutron.conf" upgrade heads ) >"$D/log/neutron-init.log" 2>&1 & sync_pids+=("neutron:$!")
  # Keystone's four keystone-manage steps in one interpreter: the Keystone leg's setup.py.
  $PY "$HERE/../keystone/setup.py" "$D/etc/keystone.conf" -- --bootstrap-password "$ADMIN_PW" \
    --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
    --bootstrap-service-name keystone --bootstrap-region-id RegionOne \
    --bootstrap-admin-url "$KS/v3" --bootstrap-internal-url "$KS/v3" --bootstrap-public-url "$KS/v3" \
    >"$D/log/keystone-init.log" 2>&1 || fail keystone-init "keystone bootstrap failed"
  ts "keystone initialised"
fi
start keystone $PY "$HERE/wsgi-serve.py" keystone.server.wsgi:initialize_public_application 127.0.0.1 "$PORT_KEYSTONE" -- \
  --config-file "$D/etc/keystone.conf"
wait_until keystone 90 http_ok "$KS/v3"
if [ $FIRST = 1 ]; then
  $PY "$HERE/register.py" "$KS/v3" "$ADMIN_PW" "$SERVICE_PW" \
    "{\"nova\":$PORT_NOVA,\"cinder\":$PORT_CINDER,\"glance\":$PORT_GLANCE,\"placement\":$PORT_PLACEMENT,\"neutron\":$PORT_NEUTRON}" \
    >"$D/log/register.log" 2>&1 || fail register "keystone registration failed"
  for entry in "${sync_pids[@]}"; do
    wait "${entry#*:}" || fail "${entry%%:*}-init" "${entry%%:*} database sync failed"
  done
  ts "databases synced, cells mapped"
fi
wait_until rabbitmq 90 tcp_ok "$PORT_RABBIT"

# ------------------------------------------------------------------ the OpenStack services
start neutron-server "$D/bin/neutron-server" --config-file "$D/etc/neutron.conf"
start glance-api "$D/bin/glance-api" --config-file "$D/etc/glance-api.conf"
start placement-api env OS_PLACEMENT_CONFIG_DIR="$D/etc/placement" $PY "$HERE/wsgi-serve.py" placement.wsgi:init_application 127.0.0.1 "$PORT_PLACEMENT"
start nova-conductor "$D/bin/nova-conductor" --config-file "$D/etc/nova.conf"
start nova-scheduler "$D/bin/nova-scheduler" --config-file "$D/etc/nova.conf"
start nova-api "$D/bin/nova-api" --config-file "$D/etc/nova.conf"
start nova-compute "$D/bin/nova-compute" --config-file "$D/etc/nova-compute.conf"
start cinder-api "$D/bin/cinder-api" --config-file "$D/etc/cinder.conf"
start cinder-scheduler "$D/bin/cinder-scheduler" --config-file "$D/etc/cinder.conf"
start cinder-volume "$D/bin/cinder-volume" --config-file "$D/etc/cinder.conf"
wait_until glance-api 120 http_ok "http://127.0.0.1:$PORT_GLANCE/"
wait_until placement-api 120 http_ok "http://127.0.0.1:$PORT_PLACEMENT/"
wait_until nova-api 120 http_ok "http://127.0.0.1:$PORT_NOVA/"
wait_until cinder-api 120 http_ok "http://127.0.0.1:$PORT_CINDER/"
wait_until neutron-server 120 http_ok "http://127.0.0.1:$PORT_NEUTRON/"

"$HERE/write-state.sh"
"$PY" "$HERE/wait-ready.py" "$D"
touch "$D/.initialized"
ts "ready"
cat "$D/state.json"
