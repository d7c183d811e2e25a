# The stack's credentials and URLs, exported for write-config.sh and write-state.sh (sourced by
# start.sh and cross-az.sh after ports.sh). Passwords are made once per state dir and kept there.
D=$OS_STATE_DIR
mkdir -p "$D"
[ -f "$D/admin-password" ] || head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$D/admin-password"
[ -f "$D/service-password" ] || head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$D/service-password"
chmod 600 "$D/admin-password" "$D/service-password"
ADMIN_PW=$(cat "$D/admin-password")
SERVICE_PW=$(cat "$D/service-password")
DB_PW=os-$(head -c 4 "$D/service-password")
DB=mysql+pymysql://os:$DB_PW@127.0.0.1:$PORT_MYSQL
RMQ=rabbit://guest:guest@127.0.0.1:$PORT_RABBIT/
KS=http://127.0.0.1:$PORT_KEYSTONE
export OS_STATE_DIR OS_ETC PORT_KEYSTONE PORT_NOVA PORT_CINDER PORT_NEUTRON PORT_GLANCE PORT_PLACEMENT
export KS DB RMQ ADMIN_PW SERVICE_PW
export OS_CROSS_AZ_ATTACH=${OS_CROSS_AZ_ATTACH:-false}
