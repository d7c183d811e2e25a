import type {
  AttachmentState,
  Server,
  ServerAddress,
  ServerStatus,
  Volume,
  VolumeAttachment,
  VolumeStatus,
} from '@hybrid-broker/core';
import type { CinderVolume } from '../cinder/cinder-schemas.js';
import type { NovaServer } from '../nova/nova-schemas.js';
import { guestPathsFor } from './guest-paths.js';
import { novaPowerOf } from './nova-power-state.js';

const SERVER_STATUS: Readonly<Record<string, ServerStatus>> = {
  ACTIVE: 'running',
  BUILD: 'building',
  REBUILD: 'building',
  SHUTOFF: 'stopped',
  STOPPED: 'stopped',
  SUSPENDED: 'stopped',
  PAUSED: 'stopped',
  SHELVED: 'stopped',
  SHELVED_OFFLOADED: 'stopped',
  DELETED: 'deleted',
  SOFT_DELETED: 'deleted',
  ERROR: 'error',
};

const VOLUME_STATUS: Readonly<Record<string, VolumeStatus>> = {
  creating: 'creating',
  available: 'available',
  reserved: 'attaching',
  attaching: 'attaching',
  'in-use': 'in-use',
  detaching: 'detaching',
  deleting: 'deleting',
};

/** A Nova server status (and task state) in the broker's terms. */
export function serverStatusOf(status: string, taskState?: string | null): ServerStatus {
  if (taskState === 'deleting' && status !== 'DELETED') return 'deleting';
  return SERVER_STATUS[status.toUpperCase()] ?? 'unknown';
}

/** A Cinder volume status in the broker's terms (`error`, `error_deleting`, ... are all `error`). */
export function volumeStatusOf(status: string): VolumeStatus {
  if (/error/i.test(status)) return 'error';
  return VOLUME_STATUS[status] ?? 'unknown';
}

/** Normalizes a Nova server, keeping Nova's status and id. */
export function toServer(server: NovaServer, region?: string): Server {
  const addresses: ServerAddress[] = [];
  for (const [network, list] of Object.entries(server.addresses ?? {})) {
    for (const a of list) {
      const type = a['OS-EXT-IPS:type'];
      addresses.push({
        network,
        address: a.addr,
        version: a.version === 6 ? 6 : 4,
        ...(type === 'fixed' || type === 'floating' ? { type } : {}),
      });
    }
  }
  const zone = server['OS-EXT-AZ:availability_zone'];
  const image =
    typeof server.image === 'object' && server.image !== null ? server.image.id : server.image || undefined;
  const flavor = server.flavor?.id ?? server.flavor?.original_name;
  const fault = server.fault?.message;
  return {
    id: server.id,
    providerId: server.id,
    name: server.name,
    status: serverStatusOf(server.status, server['OS-EXT-STS:task_state']),
    providerStatus: server.status,
    addresses,
    metadata: server.metadata ?? {},
    ...(zone ? { availabilityZone: zone } : {}),
    ...(region === undefined ? {} : { region }),
    ...(image ? { image } : {}),
    ...(flavor ? { flavor } : {}),
    ...(fault ? { fault } : {}),
    ...(server.created ? { createdAt: server.created } : {}),
    ...(server.hostId ? { hostId: server.hostId } : {}),
    ...novaPowerOf(server),
  };
}

/** Normalizes a Cinder volume with its attachments. */
export function toVolume(volume: CinderVolume, region?: string): Volume {
  const state = attachmentStateOf(volume.status);
  const attachments: VolumeAttachment[] = volume.attachments.map((a) => {
    const id = a.attachment_id || a.id ? (a.attachment_id ?? a.id) : undefined;
    return {
      serverId: a.server_id,
      volumeId: volume.id,
      state,
      providerState: volume.status,
      ...(id ? { id } : {}),
      ...(a.device ? { device: a.device } : {}),
      guestPaths: guestPathsFor(volume.id, a.device ?? undefined),
    };
  });
  return {
    id: volume.id,
    providerId: volume.id,
    status: volumeStatusOf(volume.status),
    providerStatus: volume.status,
    sizeGiB: volume.size,
    multiAttach: volume.multiattach ?? false,
    attachments,
    ...(volume.name ? { name: volume.name } : {}),
    ...(volume.metadata ? { metadata: volume.metadata } : {}),
    ...(volume.availability_zone ? { availabilityZone: volume.availability_zone } : {}),
    ...(region === undefined ? {} : { region }),
    ...(volume.created_at ? { createdAt: volume.created_at } : {}),
    ...(volume.volume_type ? { volumeType: volume.volume_type } : {}),
  };
}

// Cinder keeps one status per volume; its attachments share it.
function attachmentStateOf(status: string): AttachmentState {
  if (status === 'detaching') return 'detaching';
  if (status === 'attaching' || status === 'reserved') return 'attaching';
  return 'attached';
}
