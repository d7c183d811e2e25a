import { BrokerError } from './errors.js';
import { refuseMarkerKeys } from './metadata-marker.js';

/** What a cloud accepts as metadata (tags) on one resource. */
export interface MetadataLimits {
  /** The cloud's name for it, in messages (`EC2 tags`). */
  readonly label: string;
  /** Most pairs on one resource, where the cloud has a limit. */
  readonly maxPairs?: number;
  readonly maxKeyLength: number;
  readonly maxValueLength: number;
  /** A key prefix the cloud keeps for itself (EC2 `aws:`). */
  readonly reservedPrefix?: string;
}

/** EC2 tags: 50 per resource, keys up to 128 characters, values up to 256, `aws:` reserved. */
export const EC2_TAG_LIMITS: MetadataLimits = {
  label: 'EC2 tags',
  maxPairs: 50,
  maxKeyLength: 128,
  maxValueLength: 256,
  reservedPrefix: 'aws:',
};

/** Azure tags: 50 per resource, names up to 512 characters, values up to 256. */
export const AZURE_TAG_LIMITS: MetadataLimits = {
  label: 'Azure tags',
  maxPairs: 50,
  maxKeyLength: 512,
  maxValueLength: 256,
};

/** Nova and Cinder metadata: keys and values up to 255 characters. */
export const OPENSTACK_METADATA_LIMITS: MetadataLimits = {
  label: 'OpenStack metadata',
  maxKeyLength: 255,
  maxValueLength: 255,
};

/**
 * Checks the caller's metadata against the cloud's limits before anything is
 * sent, and refuses the keys the driver writes itself (`marker`, the idempotency
 * key's, and the request digest's): a caller's value would forge a key's
 * resource or be silently replaced. `room` is how many pairs the driver adds.
 * Throws `invalid-request` naming the field (`field`, default `metadata`, or `field.<key>`).
 */
export function checkMetadataLimits(
  metadata: Readonly<Record<string, string>> | undefined,
  limits: MetadataLimits,
  marker: string,
  room = 0,
  field = 'metadata',
): void {
  if (metadata === undefined) return;
  refuseMarkerKeys(Object.keys(metadata), marker, (key) => `${field}.${key}`);
  const pairs = Object.keys(metadata).length;
  if (limits.maxPairs !== undefined && pairs + room > limits.maxPairs) {
    throw refuse(field, `${pairs} pairs; ${limits.label} take at most ${limits.maxPairs - room} here`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length > limits.maxKeyLength)
      throw refuse(
        field,
        `key "${key.slice(0, 40)}…": ${limits.label} keys take at most ${limits.maxKeyLength} characters`,
      );
    if (value.length > limits.maxValueLength)
      throw refuse(
        `${field}.${key}`,
        `${limits.label} values take at most ${limits.maxValueLength} characters`,
      );
    if (limits.reservedPrefix !== undefined && key.toLowerCase().startsWith(limits.reservedPrefix))
      throw refuse(`${field}.${key}`, `the "${limits.reservedPrefix}" prefix is reserved by the cloud`);
  }
}

function refuse(field: string, why: string): BrokerError {
  return new BrokerError('invalid-request', `${field}: ${why}`, { field, retryable: false });
}
