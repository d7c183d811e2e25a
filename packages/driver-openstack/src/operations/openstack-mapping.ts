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
import type { Mutable } from './mutable.js';

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
  const networks = server.addresses;
  if (networks) {
    for (const network in networks) {
      for (const a of networks[network] ?? []) {
        const address: Mutable<ServerAddress> = {
          network,
          address: a.addr,
          version: a.version === 6 ? 6 : 4,
        };
        const type = a['OS-EXT-IPS:type'];
        if (type === 'fixed' || type === 'floating') address.type = type;
        addresses.push(address);
      }
    }
  }
  // Built field by field: conditional spreads cost more than the rest of the mapping (read on every poll).
  const out: Mutable<Server> = {
    id: server.id,
    providerId: server.id,
    name: server.name,
    status: serverStatusOf(server.status, server['OS-EXT-STS:task_state']),
    providerStatus: server.status,
    addresses,
    metadata: server.metadata ?? {},
  };
  const zone = server['OS-EXT-AZ:availability_zone'];
  if (zone) out.availabilityZone = zone;
  if (region !== undefined) out.region = region;
  const image =
    typeof server.image === 'object' && server.image !== null ? server.image.id : server.image || undefined;
  if (image) out.image = image;
  const flavor = server.flavor?.id ?? server.flavor?.original_name;
  if (flavor) out.flavor = flavor;
  const fault = server.fault?.message;
  if (fault) out.fault = fault;
  if (server.created) out.createdAt = server.created;
  if (server.hostId) out.hostId = server.hostId;
  return out;
}

/** Normalizes a Cinder volume with its attachments. */
export function toVolume(volume: CinderVolume, region?: string): Volume {
  const state = attachmentStateOf(volume.status);
  const attachments: VolumeAttachment[] = [];
  for (const a of volume.attachments) {
    const attachment: Mutable<VolumeAttachment> = {
      serverId: a.server_id,
      volumeId: volume.id,
      state,
      providerState: volume.status,
    };
    const id = a.attachment_id || a.id ? (a.attachment_id ?? a.id) : undefined;
    if (id) attachment.id = id;
    if (a.device) attachment.device = a.device;
    attachment.guestPaths = guestPathsFor(volume.id, a.device ?? undefined);
    attachments.push(attachment);
  }
  const out: Mutable<Volume> = {
    id: volume.id,
    providerId: volume.id,
    status: volumeStatusOf(volume.status),
    providerStatus: volume.status,
    sizeGiB: volume.size,
    multiAttach: volume.multiattach ?? false,
    attachments,
  };
  if (volume.name) out.name = volume.name;
  if (volume.metadata) out.metadata = volume.metadata;
  if (volume.availability_zone) out.availabilityZone = volume.availability_zone;
  if (region !== undefined) out.region = region;
  return out;
}

// Cinder keeps one status per volume; its attachments share it.
function attachmentStateOf(status: string): AttachmentState {
  if (status === 'detaching') return 'detaching';
  if (status === 'attaching' || status === 'reserved') return 'attaching';
  return 'attached';
}
