#!/usr/bin/env bash
# Write the services' config files into $OS_STATE_DIR/etc (called by start.sh and cross-az.sh, which
# export KS DB RMQ SERVICE_PW, the ports and OS_CROSS_AZ_ATTACH). Rewritten on every start, so a
# change here or in ports.sh takes effect on the next start.
set -euo pipefail
D=$OS_STATE_DIR
E=$D/etc
mkdir -p "$E/placement" "$D/keystone" "$D/glance/images" "$D/nova/instances" "$D/cinder" "$D/neutron"
authtoken() { # [keystone_authtoken] of the service user $1
  cat <<CONF
[keystone_authtoken]
www_authenticate_uri = $KS/
auth_url = $KS/
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PW
service_token_roles_required = true
CONF
}
client() { # a keystoneauth section [$1] as service user $2, for calls to another service
  cat <<CONF
[$1]
auth_url = $KS/
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $2
password = $SERVICE_PW
region_name = RegionOne
CONF
}
cat >"$E/keystone.conf" <<CONF
[DEFAULT]
log_file = $D/log/keystone.log
[database]
connection = $DB/keystone
[cache]
# In-process cache: without it each authenticated call re-reads roles and catalog.
enabled = true
backend = dogpile.cache.memory
[identity]
# bcrypt cost 4 (the minimum): password tokens get cheap.
password_hash_rounds = 4
[token]
expiration = 7200
[fernet_tokens]
key_repository = $D/keystone/fernet-keys
[fernet_receipts]
key_repository = $D/keystone/fernet-keys
[credential]
key_repository = $D/keystone/credential-keys
CONF
cat >"$E/glance-api.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $PORT_GLANCE
workers = 1
log_file = $D/log/glance-api.log
[database]
connection = $DB/glance
[glance_store]
stores = file
default_store = file
filesystem_store_datadir = $D/glance/images/
[paste_deploy]
flavor = keystone
config_file = $OS_ETC/glance-common/usr/share/glance-common/glance-api-paste.ini
[oslo_concurrency]
lock_path = $D/lock
$(authtoken glance)
CONF
cat >"$E/placement/placement.conf" <<CONF
[DEFAULT]
log_file = $D/log/placement-api.log
[api]
auth_strategy = keystone
[placement_database]
connection = $DB/placement
$(authtoken placement)
CONF
cat >"$E/nova.conf" <<CONF
[DEFAULT]
host = hb-compute
my_ip = 127.0.0.1
state_path = $D/nova
instances_path = $D/nova/instances
log_dir = $D/log
transport_url = $RMQ
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = $PORT_NOVA
osapi_compute_workers = 1
# Defaults of 60 s delay host discovery and heartbeats by up to a minute.
periodic_fuzzy_delay = 0
report_interval = 2
[api]
auth_strategy = keystone
[api_database]
connection = $DB/nova_api
[database]
connection = $DB/nova
[wsgi]
api_paste_config = $OS_ETC/nova-common/usr/share/nova-common/api-paste.ini
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 2
[filter_scheduler]
enabled_filters = ComputeFilter,AvailabilityZoneFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter
[oslo_concurrency]
lock_path = $D/lock
[vnc]
enabled = false
[oslo_messaging_notifications]
driver = messagingv2
[notifications]
notification_format = versioned
notify_on_state_change = vm_and_task_state
$(authtoken nova)
$(client service_user nova)
send_service_user_token = true
$(client placement nova)
$(client cinder nova)
os_region_name = RegionOne
# Upstream's default is true; false makes Nova refuse a cross-zone attach (cross-az.sh flips it).
cross_az_attach = $OS_CROSS_AZ_ATTACH
$(client neutron nova)
$(client glance nova)
CONF
# nova-compute must not see DB credentials ("No DB access allowed in nova-compute").
sed '/^\[api_database\]/,+1d;/^\[database\]/,+1d' "$E/nova.conf" >"$E/nova-compute.conf"
cat >"$E/cinder.conf" <<CONF
[DEFAULT]
host = hb-volume
my_ip = 127.0.0.1
state_path = $D/cinder
log_dir = $D/log
transport_url = $RMQ
auth_strategy = keystone
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = $PORT_CINDER
osapi_volume_workers = 1
api_paste_config = $OS_ETC/cinder-common/usr/share/cinder-common/api-paste.ini
glance_api_servers = http://127.0.0.1:$PORT_GLANCE
storage_availability_zone = nova
default_availability_zone = nova
enabled_backends = fake,fake2
periodic_fuzzy_delay = 0
report_interval = 2
# Capabilities every 5 s (default 60): after a restart the scheduler holds creates until it has
# heard from every backend.
periodic_interval = 5
[database]
connection = $DB/cinder
[oslo_concurrency]
lock_path = $D/lock
[oslo_messaging_notifications]
driver = messagingv2
$(authtoken cinder)
$(client nova cinder)
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
[fake2]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake2
backend_availability_zone = az2
CONF
cat >"$E/neutron.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $PORT_NEUTRON
core_plugin = ml2
service_plugins =
auth_strategy = keystone
transport_url = $RMQ
api_workers = 1
rpc_workers = 0
rpc_state_report_workers = 0
state_path = $D/neutron
log_dir = $D/log
api_paste_config = $OS_ETC/neutron-common/usr/share/neutron-common/api-paste.ini
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
[database]
connection = $DB/neutron
[oslo_concurrency]
lock_path = $D/lock
[oslo_messaging_notifications]
driver = noop
$(authtoken neutron)
$(client nova neutron)
[ml2]
# Only neutron-server, no agents: Nova needs the ports API for server views and deletes.
type_drivers = flat
tenant_network_types =
mechanism_drivers =
extension_drivers = port_security
[ml2_type_flat]
flat_networks = *
CONF
chmod 600 "$E"/*.conf "$E/placement/placement.conf"
