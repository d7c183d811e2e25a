import type { VolumeRecord } from './state.js';
import { cinderTime } from './timestamps.js';

/** `self` and `bookmark` links of a volume. */
export function volumeLinks(base: string, id: string): { rel: string; href: string }[] {
  const self = `${base}/volumes/${id}`;
  return [
    { rel: 'self', href: self },
    { rel: 'bookmark', href: self.replace(/\/v[23]\//, '/') },
  ];
}

/** A volume as `GET /volumes/{id}` shows it (v2, or v3 at microversion `3.<mv>`). */
export function volumeView(v: VolumeRecord, base: string, mv: number | undefined): unknown {
  const view: Record<string, unknown> = {
    id: v.id,
    name: v.name,
    status: v.status,
    size: v.size,
    availability_zone: v.availabilityZone,
    created_at: cinderTime(v.created),
    updated_at: cinderTime(v.updated),
    attachments: v.attachments.map((a) => ({
      id: a.volumeId,
      attachment_id: a.id,
      volume_id: a.volumeId,
      server_id: a.serverId,
      host_name: a.hostName,
      device: a.device,
      attached_at: cinderTime(a.attachedAt),
    })),
    description: v.description,
    volume_type: v.volumeType,
    snapshot_id: null,
    source_volid: null,
    metadata: { ...v.metadata },
    links: volumeLinks(base, v.id),
    user_id: v.userId,
    bootable: String(v.bootable),
    encrypted: false,
    replication_status: null,
    consistencygroup_id: null,
    multiattach: v.multiattach,
    migration_status: null,
    'os-vol-tenant-attr:tenant_id': v.projectId,
  };
  if (mv !== undefined) {
    if (mv >= 13) view.group_id = null;
    if (mv >= 21) view.provider_id = null;
    if (mv >= 48) {
      view.service_uuid = null;
      view.shared_targets = false;
    }
    if (mv >= 63) view.volume_type_id = null;
    if (mv >= 65) view.consumes_quota = true;
  }
  return view;
}
