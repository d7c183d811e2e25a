import type { Ec2Cloud } from './ec2-cloud.js';
import { Ec2ApiError } from './ec2-model.js';
import type { Ec2Query } from './ec2-query.js';
import { el, response, volumeXml, type Xml } from './ec2-xml.js';

/** The volume each ClientToken made, and the parameters it was made with, per cloud. */
const TOKENS = new WeakMap<Ec2Cloud, Map<string, { id: string; params: string }>>();

/**
 * CreateVolume as EC2 answers it: `Size` 1..16384, the zone, `VolumeType`, tags
 * from `TagSpecification`, a `SnapshotId` (the emulation keeps no snapshots, so
 * every one is `InvalidSnapshot.NotFound`), and `ClientToken`: a repeat with the
 * token returns the first volume while it lives, and other parameters with it
 * are `IdempotentParameterMismatch`.
 */
export function createVolumeAction(cloud: Ec2Cloud, q: Ec2Query, requestId: string): Xml {
  const size = Number(q.get('Size') ?? '1');
  if (!Number.isInteger(size) || size < 1 || size > 16_384) {
    throw new Ec2ApiError('InvalidParameterValue', `Invalid value '${q.get('Size')}' for Size.`);
  }
  const snapshotId = q.get('SnapshotId');
  if (snapshotId !== undefined)
    throw new Ec2ApiError('InvalidSnapshot.NotFound', `The snapshot '${snapshotId}' does not exist.`);
  const zone = q.require('AvailabilityZone');
  const type = q.get('VolumeType') ?? 'gp3';
  const token = q.get('ClientToken');
  const params = JSON.stringify([zone, size, type]);
  const tokens = TOKENS.get(cloud) ?? new Map<string, { id: string; params: string }>();
  TOKENS.set(cloud, tokens);
  const earlier = token === undefined ? undefined : tokens.get(token);
  if (earlier !== undefined && cloud.volumes.has(earlier.id)) {
    if (earlier.params !== params) {
      throw new Ec2ApiError(
        'IdempotentParameterMismatch',
        'The client token has been used with different parameters.',
      );
    }
    return response('CreateVolume', requestId, volumeXml(cloud.volume(earlier.id), false));
  }
  const view = cloud.createVolume(zone, size, type, q.tagsFor('volume'));
  if (token !== undefined) tokens.set(token, { id: view.record.id, params });
  return response('CreateVolume', requestId, volumeXml(view, false));
}

/** DeleteVolume: `VolumeInUse` while attached; otherwise the volume is gone at once. */
export function deleteVolumeAction(cloud: Ec2Cloud, q: Ec2Query, requestId: string): Xml {
  const id = q.require('VolumeId');
  const view = cloud.volume(id);
  const held = view.attachments[0];
  if (held !== undefined) {
    throw new Ec2ApiError('VolumeInUse', `Volume ${id} is currently attached to ${held.record.instanceId}`);
  }
  cloud.volumes.delete(id);
  return response('DeleteVolume', requestId, [el('return', true)]);
}
