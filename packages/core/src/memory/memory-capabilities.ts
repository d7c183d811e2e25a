import type { DriverCapabilities } from '../driver.js';

/** What the memory cloud can do: everything a built-in driver offers, as a test bed for each. */
export const MEMORY_CAPABILITIES: DriverCapabilities = {
  idempotentCreate: true,
  readOnlyAttach: true,
  requestedDeviceHonoured: true,
  guestPaths: true,
  forceDetach: true,
  antiAffinity: true,
  volumeLifecycle: true,
  volumeFromImage: true,
  volumeFromSnapshot: true,
  snapshots: true,
  power: true,
  listImages: true,
  listFlavors: true,
  watch: true,
  metadata: true,
};
