# Ports of the real OpenStack stack (sourced by start.sh, stop.sh and wait-ready.py's caller).
# All on 127.0.0.1, in 15000-15999: below Linux's ephemeral range (32768-60999) that the Keystone
# leg and every test's loopback server draw from (port 0), and clear of the services' well-known
# ports, so a distro MariaDB/RabbitMQ or a stray Keystone on 5000 does not clash. OS_PORT_BASE moves the block.
OS_PORT_BASE=${OS_PORT_BASE:-15000}
PORT_KEYSTONE=$((OS_PORT_BASE + 0))
PORT_GLANCE=$((OS_PORT_BASE + 292))
PORT_MYSQL=$((OS_PORT_BASE + 306))
PORT_EPMD=$((OS_PORT_BASE + 369))
PORT_RABBIT=$((OS_PORT_BASE + 672))
PORT_RABBIT_DIST=$((OS_PORT_BASE + 673))
PORT_NEUTRON=$((OS_PORT_BASE + 696))
PORT_NOVA=$((OS_PORT_BASE + 774))
PORT_CINDER=$((OS_PORT_BASE + 776))
PORT_PLACEMENT=$((OS_PORT_BASE + 778))
ALL_PORTS="$PORT_KEYSTONE $PORT_GLANCE $PORT_MYSQL $PORT_EPMD $PORT_RABBIT $PORT_RABBIT_DIST $PORT_NEUTRON $PORT_NOVA $PORT_CINDER $PORT_PLACEMENT"
OS_STATE_DIR=${OS_STATE_DIR:-${TMPDIR:-/tmp}/hybrid-broker-openstack}
OS_ETC=${OS_ETC:-/opt/hybrid-broker-openstack/etc}
# Services in start order; stop.sh stops them in reverse.
OS_SERVICES="mysql epmd rabbitmq keystone neutron-server glance-api placement-api nova-conductor nova-scheduler nova-api nova-compute cinder-api cinder-scheduler cinder-volume"
