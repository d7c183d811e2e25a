import { SimError } from '../service.js';
import { snapshotSource } from './cinder-snapshots.js';
import type { JsonObject } from './json-fields.js';
import { optionalString, stringMap } from './json-fields.js';
import type { OpenStackSim } from './openstack-sim.js';

/**
 * The parts of Cinder's `POST /volumes` beyond size and zone, checked as
 * Cinder checks them: `metadata` (keys and values of at most 255 characters,
 * Cinder's API schema), `imageRef` (an image Glance serves, else 400 as
 * Cinder's image check answers) and `snapshot_id` (checked as Cinder checks it: see
 * cinder-snapshots.ts).
 */
export function createSources(os: OpenStackSim, body: JsonObject): { metadata: Record<string, string> } {
  const metadata = stringMap(body, 'metadata');
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length === 0 || key.length > 255 || value.length > 255) {
      throw new SimError(400, `Invalid input for field/attribute metadata. Value: ${key}. is too long`);
    }
  }
  const imageRef = optionalString(body, 'imageRef');
  if (imageRef !== undefined && !os.images.some((i) => i.id === imageRef)) {
    throw new SimError(
      400,
      'Invalid input received: Invalid image identifier or unable to access requested image.',
    );
  }
  const snapshotId = optionalString(body, 'snapshot_id');
  if (snapshotId !== undefined) snapshotSource(os, snapshotId, body.size);
  return { metadata };
}
