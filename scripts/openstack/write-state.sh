#!/usr/bin/env bash
# Write $OS_STATE_DIR/state.json: what a test needs to reach the stack (called by start.sh).
set -euo pipefail
D=$OS_STATE_DIR
umask 077
cat >"$D/state.json" <<JSON
{"keystoneUrl":"$KS/v3","adminUser":"admin","adminPassword":"$ADMIN_PW","adminProject":"admin","domain":"default",
 "regions":["RegionOne","RegionTwo"],"computeZone":"nova","volumeZones":["nova","az2"],
 "crossAzAttach":$OS_CROSS_AZ_ATTACH,"dir":"$D",
 "ports":{"keystone":$PORT_KEYSTONE,"nova":$PORT_NOVA,"cinder":$PORT_CINDER,"glance":$PORT_GLANCE,"neutron":$PORT_NEUTRON,"placement":$PORT_PLACEMENT}}
JSON
