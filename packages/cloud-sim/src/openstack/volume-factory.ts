import type { OpenStackSim } from './openstack-sim.js';
import type { Region } from './regions.js';
import type { VolumeRecord } from './state.js';

/** What a new volume is made of (from the API or the admin helper). */
export interface NewVolume {
  readonly region: Region;
  readonly projectId: string;
  readonly userId: string;
  readonly sizeGiB: number;
  /** Default: the region's first zone. */
  readonly availabilityZone?: string | undefined;
  readonly name?: string;
  readonly description?: string | null;
  readonly multiattach?: boolean;
  readonly volumeType?: string | undefined;
  /** Initial status (the API starts at `creating`). */
  readonly status?: string;
}

/** Creates and stores a volume record. */
export function createVolumeRecord(os: OpenStackSim, spec: NewVolume): VolumeRecord {
  const now = os.now();
  const volume: VolumeRecord = {
    id: os.random.uuid(),
    name: spec.name ?? '',
    description: spec.description ?? null,
    region: spec.region.name,
    projectId: spec.projectId,
    userId: spec.userId,
    availabilityZone: spec.availabilityZone ?? spec.region.availabilityZones[0] ?? spec.region.name,
    size: spec.sizeGiB,
    status: spec.status ?? 'creating',
    multiattach: spec.multiattach ?? false,
    volumeType: spec.volumeType ?? (spec.multiattach ? 'multiattach' : '__DEFAULT__'),
    bootable: false,
    metadata: {},
    created: now,
    updated: now,
    attachments: [],
    op: 0,
  };
  os.state.volumes.set(volume.id, volume);
  return volume;
}
