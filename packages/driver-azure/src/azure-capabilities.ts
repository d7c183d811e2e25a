// Apart from azure-definition.ts, which loads azure-driver.ts lazily: the driver reads these too,
// and importing the definition from the driver made a cycle.

/** What the Azure driver can do. */
export const azureCapabilities = {
  // ARM PUTs are by name and the key is kept in a tag, so a repeated create finds the first VM.
  idempotentCreate: true,
  // `lun:N` is honoured.
  requestedDeviceHonoured: true,
  availabilityZones: true,
  multiAttach: false,
  readOnlyAttach: false,
  guestPaths: true,
  // The VM update's data disk marked toBeDetached with detachOption ForceDetach.
  forceDetach: true,
  // An availability set per group: regional, so it works in regions without zones, and a member
  // may still take a zone-less (regional) disk; zones spread would pin each member to a zone of
  // its own, against the zone the arbitrator chose for the volume.
  antiAffinity: true,
  // start, powerOff (or deallocate) and restart.
  power: true,
  // The config's imageSource (a marketplace offer); a driver made without one refuses listImages.
  listImages: true,
  // locations/{location}/vmSizes.
  listFlavors: true,
  // A managed disk PUT: Empty, Copy (a snapshot) or FromImage (a platform or gallery image version).
  volumeLifecycle: true,
  volumeFromImage: true,
  volumeFromSnapshot: true,
  // A PATCH of the disk's or VM's tags.
  metadata: true,
  // Over one list of the group's disks and one of its VMs per tick (each VM read for its power).
  watch: true,
} as const;
