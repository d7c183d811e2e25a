import { isRec, isStringMap, nullStr, optStr } from '../common/body-checks.js';
import type { CinderVolume } from './cinder-schemas.js';

// A hand-written check of the volume body read on every poll, as nova-guards.ts does for servers.

/** The volume when `value` is a body zod's `cinderVolumeSchema` accepts as it is, else undefined. */
export function fastCinderVolume(value: unknown): CinderVolume | undefined {
  if (!isRec(value) || typeof value.id !== 'string' || typeof value.status !== 'string') return undefined;
  if (typeof value.size !== 'number' || !nullStr(value.name) || !nullStr(value.availability_zone))
    return undefined;
  if (!isStringMap(value.metadata)) return undefined;
  if (!nullStr(value.created_at) || !nullStr(value.volume_type)) return undefined;
  const { multiattach, attachments } = value;
  if (!(multiattach === undefined || multiattach === null || typeof multiattach === 'boolean'))
    return undefined;
  if (attachments !== undefined && !Array.isArray(attachments)) return undefined;
  for (const a of attachments ?? []) {
    if (!isRec(a) || typeof a.server_id !== 'string' || !optStr(a.attachment_id) || !optStr(a.id))
      return undefined;
    if (!optStr(a.volume_id) || !nullStr(a.device) || !nullStr(a.host_name) || !nullStr(a.attached_at))
      return undefined;
  }
  return { ...value, attachments: attachments ?? [] } as CinderVolume;
}
