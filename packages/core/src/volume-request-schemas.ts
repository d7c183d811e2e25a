import { z } from 'zod';
import { parseOrThrow } from './config/schema-helpers.js';
import { idSchema, validateRequest } from './request-schemas.js';
import type { VolumeRef } from './types.js';
import type { CreateVolumeRequest } from './volume-types.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject them
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

const text = (max: number) =>
  z
    .string()
    .min(1, { error: 'expected a non-empty string' })
    .max(max, { error: `expected at most ${max} characters` });

/**
 * The bounds every cloud shares; each driver checks its own beyond them (types,
 * metadata limits). 65 536 GiB is above every cloud's largest volume (EBS 64 TiB,
 * Azure 32 TiB), so the cloud's own limit names the refusal past its size.
 */
const createVolume = z
  .object({
    name: text(255).regex(NO_CONTROL, { error: 'expected a name without control characters' }),
    sizeGiB: z
      .number({ error: 'expected a whole number of GiB' })
      .int({ error: 'expected a whole number of GiB' })
      .min(1, { error: 'expected at least 1 GiB' })
      .max(65_536, { error: 'expected at most 65536 GiB' }),
    availabilityZone: text(255),
    region: text(255).optional(),
    volumeType: text(255).optional(),
    fromSnapshotId: idSchema.optional(),
    fromImageId: idSchema.optional(),
    metadata: z
      .record(text(512), z.string().max(512, { error: 'expected at most 512 characters' }))
      .optional(),
  })
  .refine((r) => r.fromSnapshotId === undefined || r.fromImageId === undefined, {
    error: 'expected at most one source: fromSnapshotId or fromImageId',
    path: ['fromImageId'],
  });

/** Validators of the volume lifecycle's requests; each throws an `invalid-request` error naming the field. */
export const validateVolumeRequest = {
  createVolume: (r: unknown): CreateVolumeRequest =>
    parseOrThrow(createVolume, r, '', 'invalid createVolume request'),
  deleteVolume: (r: unknown): VolumeRef => validateRequest.volumeRef(r),
};
