import type { Flavor, Image } from './catalog-data.js';
import type { ServerRecord, ServerVolume } from './state.js';
import { novaTime } from './timestamps.js';

/** `self` and `bookmark` links of a Nova resource (the bookmark has no version segment). */
export function novaLinks(base: string, collection: string, id: string): { rel: string; href: string }[] {
  const self = `${base}/${collection}/${id}`;
  return [
    { rel: 'self', href: self },
    { rel: 'bookmark', href: self.replace('/v2.1/', '/') },
  ];
}

/** A server as `GET /servers/{id}` shows it at microversion `2.<mv>`. */
export function serverView(s: ServerRecord, flavor: Flavor | undefined, base: string, mv: number): unknown {
  const view: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    status: s.status,
    tenant_id: s.projectId,
    user_id: s.userId,
    metadata: { ...s.metadata },
    hostId: s.hostId,
    image: { id: s.imageId, links: novaLinks(base, 'images', s.imageId).slice(1) },
    flavor: flavorRef(s.flavorId, flavor, base, mv),
    created: novaTime(s.created),
    updated: novaTime(s.updated),
    addresses: addressesView(s),
    accessIPv4: '',
    accessIPv6: '',
    links: novaLinks(base, 'servers', s.id),
    'OS-DCF:diskConfig': 'MANUAL',
    progress: s.status === 'ACTIVE' ? 100 : 0,
    'OS-EXT-AZ:availability_zone': s.availabilityZone,
    config_drive: '',
    key_name: s.keyName,
    'OS-SRV-USG:launched_at':
      s.launchedAt === null ? null : new Date(s.launchedAt).toISOString().slice(0, -1),
    'OS-SRV-USG:terminated_at': null,
    'OS-EXT-STS:task_state': s.taskState,
    'OS-EXT-STS:vm_state': s.vmState,
    'OS-EXT-STS:power_state': s.powerState,
    'os-extended-volumes:volumes_attached': s.volumes.map((v) =>
      mv >= 3 ? { id: v.volumeId, delete_on_termination: false } : { id: v.volumeId },
    ),
    security_groups: s.securityGroups.map((name) => ({ name })),
  };
  if (s.fault)
    view.fault = { code: s.fault.code, message: s.fault.message, created: novaTime(s.fault.created) };
  if (mv >= 9) view.locked = false;
  if (mv >= 19) view.description = null;
  if (mv >= 26) view.tags = [];
  if (mv >= 63) view.trusted_image_certificates = null;
  if (mv >= 71) view.server_groups = s.serverGroupId === undefined ? [] : [s.serverGroupId];
  if (mv >= 73) view.locked_reason = null;
  if (mv >= 96) view.pinned_availability_zone = null;
  return view;
}

function flavorRef(id: string, flavor: Flavor | undefined, base: string, mv: number): unknown {
  if (mv < 47 || !flavor) return { id, links: novaLinks(base, 'flavors', id).slice(1) };
  const embedded: Record<string, unknown> = {
    vcpus: flavor.vcpus,
    ram: flavor.ram,
    disk: flavor.disk,
    ephemeral: 0,
    swap: 0,
    original_name: flavor.name,
    extra_specs: {},
  };
  return embedded;
}

function addressesView(s: ServerRecord): unknown {
  const out: Record<string, unknown[]> = {};
  for (const [net, list] of Object.entries(s.addresses)) {
    out[net] = list.map((a) => ({
      version: a.version,
      addr: a.addr,
      'OS-EXT-IPS:type': a.type,
      'OS-EXT-IPS-MAC:mac_addr': a.mac,
    }));
  }
  return out;
}

/** One `volumeAttachment` as Nova shows it at microversion `2.<mv>`. */
export function attachmentView(serverId: string, v: ServerVolume, mv: number): unknown {
  const view: Record<string, unknown> = { device: v.device, serverId, volumeId: v.volumeId };
  if (mv < 89) view.id = v.volumeId;
  if (mv >= 70) view.tag = v.tag;
  if (mv >= 79) view.delete_on_termination = false;
  if (mv >= 89) {
    view.attachment_id = v.attachmentId;
    view.bdm_uuid = v.bdmId;
  }
  return view;
}

/** A flavor in `/flavors/detail` at microversion `2.<mv>`. */
export function flavorView(f: Flavor, base: string, mv: number): unknown {
  const view: Record<string, unknown> = {
    id: f.id,
    name: f.name,
    ram: f.ram,
    disk: f.disk,
    vcpus: f.vcpus,
    swap: mv >= 75 ? 0 : '',
    'OS-FLV-EXT-DATA:ephemeral': 0,
    'OS-FLV-DISABLED:disabled': false,
    'os-flavor-access:is_public': true,
    rxtx_factor: 1.0,
    links: novaLinks(base, 'flavors', f.id),
  };
  if (mv >= 55) view.description = null;
  if (mv >= 61) view.extra_specs = {};
  return view;
}

/** An image in Nova's deprecated `/images/detail` proxy. */
export function novaImageView(i: Image, base: string): unknown {
  return {
    id: i.id,
    name: i.name,
    status: 'ACTIVE',
    progress: 100,
    minDisk: i.minDisk,
    minRam: i.minRam,
    metadata: {},
    created: novaTime(i.created),
    updated: novaTime(i.created),
    'OS-EXT-IMG-SIZE:size': i.size,
    links: novaLinks(base, 'images', i.id),
  };
}
