import { isRec, isStringMap, nullStr, optStr } from '../common/body-checks.js';
import type { NovaServer, NovaVolumeAttachment } from './nova-schemas.js';

// Hand-written checks for the two bodies read on every poll. They accept exactly what the zod
// schemas accept (the schemas still produce the error message when a check fails), at a fraction
// of the cost: a broker polling many volumes spends its CPU here.

// True for an absent or null field, or Nova's `addresses` map.
function isAddressMap(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!isRec(v)) return false;
  for (const list of Object.values(v)) {
    if (!Array.isArray(list)) return false;
    for (const a of list) {
      if (
        !isRec(a) ||
        typeof a.addr !== 'string' ||
        typeof a.version !== 'number' ||
        !optStr(a['OS-EXT-IPS:type'])
      )
        return false;
    }
  }
  return true;
}

/** The server when `value` is a body zod's `novaServerSchema` accepts as it is, else undefined. */
export function fastNovaServer(value: unknown): NovaServer | undefined {
  if (!isRec(value) || typeof value.id !== 'string' || typeof value.status !== 'string') return undefined;
  if (!optStr(value.name) || !nullStr(value['OS-EXT-AZ:availability_zone'])) return undefined;
  if (!nullStr(value['OS-EXT-STS:task_state']) || !optStr(value.created)) return undefined;
  if (!nullStr(value.hostId)) return undefined;
  if (!isAddressMap(value.addresses) || !isStringMap(value.metadata)) return undefined;
  const { image, flavor, fault } = value;
  if (
    !(
      image === undefined ||
      image === null ||
      typeof image === 'string' ||
      (isRec(image) && typeof image.id === 'string')
    )
  )
    return undefined;
  if (
    !(
      flavor === undefined ||
      flavor === null ||
      (isRec(flavor) && optStr(flavor.id) && optStr(flavor.original_name))
    )
  )
    return undefined;
  if (!(fault === undefined || fault === null || (isRec(fault) && optStr(fault.message)))) return undefined;
  return { ...value, name: value.name ?? '' } as NovaServer;
}

/** The attachment when `value` is a body zod's `novaVolumeAttachmentSchema` accepts as it is, else undefined. */
export function fastNovaVolumeAttachment(value: unknown): NovaVolumeAttachment | undefined {
  if (!isRec(value) || typeof value.volumeId !== 'string') return undefined;
  if (!optStr(value.id) || !nullStr(value.device) || !optStr(value.serverId) || !optStr(value.attachment_id))
    return undefined;
  return value as NovaVolumeAttachment;
}
