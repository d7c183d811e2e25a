/**
 * What a driver can do. Every flag is optional; {@link resolveCapabilities}
 * fills the defaults, so adding a flag never breaks a third-party driver.
 */
export interface DriverCapabilities {
  /** A volume may be attached to more than one server. Default false. */
  readonly multiAttach?: boolean;
  /** The device asked for in an attach is honoured. Default false. */
  readonly requestedDeviceHonoured?: boolean;
  /** The cloud has availability zones and attaches must stay within one. Default true. */
  readonly availabilityZones?: boolean;
  /** `idempotencyKey` on createServer is honoured. Default false. */
  readonly idempotentCreate?: boolean;
  /** Read-only attaches are supported. Default false. */
  readonly readOnlyAttach?: boolean;
  /** The driver spans regions and offers `listRegions`. Default false. */
  readonly regions?: boolean;
  /** Attachments carry `guestPaths`, where the disk is expected inside the guest. Default false. */
  readonly guestPaths?: boolean;
  /** `detachVolume(request, { force: true })` is supported. Default false. */
  readonly forceDetach?: boolean;
  /** `antiAffinityGroup` on createServer is honoured. Default false: a create naming one is refused. */
  readonly antiAffinity?: boolean;
  /** `createVolume` and `deleteVolume` are offered. Default false. */
  readonly volumeLifecycle?: boolean;
  /** `createVolume` takes `fromImageId`. Default false. */
  readonly volumeFromImage?: boolean;
  /** `createVolume` takes `fromSnapshotId`. Default false. */
  readonly volumeFromSnapshot?: boolean;
  /** `startServer`, `stopServer` and `rebootServer` are supported. Default false. */
  readonly power?: boolean;
  /** `listImages` is offered, and createServer takes an image by name. Default false. */
  readonly listImages?: boolean;
  /** `listFlavors` is offered, and createServer takes a flavor by name. Default false. */
  readonly listFlavors?: boolean;
  /** `platform.watch` is supported (the driver lists volumes and servers). Default false. */
  readonly watch?: boolean;
  /** `createSnapshot`, `getSnapshot`, `listSnapshots` and `deleteSnapshot` are offered. Default false. */
  readonly snapshots?: boolean;
  /** `setVolumeMetadata` and `setServerMetadata` are supported. Default false. */
  readonly metadata?: boolean;
}

/** Capabilities with every flag set. */
export type ResolvedCapabilities = Required<DriverCapabilities>;

const DEFAULT_CAPABILITIES: ResolvedCapabilities = {
  multiAttach: false,
  requestedDeviceHonoured: false,
  availabilityZones: true,
  idempotentCreate: false,
  readOnlyAttach: false,
  regions: false,
  guestPaths: false,
  forceDetach: false,
  antiAffinity: false,
  volumeLifecycle: false,
  volumeFromImage: false,
  volumeFromSnapshot: false,
  power: false,
  listImages: false,
  listFlavors: false,
  watch: false,
  snapshots: false,
  metadata: false,
};

/** Fills the defaults of every capability flag a driver left out. */
export function resolveCapabilities(capabilities: DriverCapabilities | undefined): ResolvedCapabilities {
  return { ...DEFAULT_CAPABILITIES, ...capabilities };
}
