import type { DriverCapabilities } from '@hybrid-broker/core';

/** What the OpenStack driver can do. */
export const OPENSTACK_CAPABILITIES: DriverCapabilities = {
  availabilityZones: true,
  idempotentCreate: true,
  multiAttach: false,
  requestedDeviceHonoured: false,
  readOnlyAttach: false,
  guestPaths: true,
  // Cinder os-force_detach; admin-only under Cinder's default policy (a 403 is `forbidden`).
  forceDetach: true,
  antiAffinity: true,
  volumeLifecycle: true,
  volumeFromImage: true,
  volumeFromSnapshot: true,
  // Nova os-start, os-stop and reboot server actions.
  power: true,
  // Glance v2 and Nova /flavors/detail.
  listImages: true,
  listFlavors: true,
  // Over full Nova and Cinder lists; the incremental changes-since lists are a later step.
  watch: true,
  // Cinder /snapshots; an in-use volume needs `force`.
  snapshots: true,
  // Nova and Cinder metadata: POST merges, DELETE per key.
  metadata: true,
};
