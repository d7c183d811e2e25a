import { z } from 'zod';
import { parseOrThrow } from '../config/schema-helpers.js';
import { idSchema } from '../request-schemas.js';
import type { CreateSnapshotRequest, SnapshotFilter, SnapshotRef } from './snapshot-types.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject them
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

const text = (max: number) =>
  z
    .string()
    .min(1, { error: 'expected a non-empty string' })
    .max(max, { error: `expected at most ${max} characters` });

// The bounds every cloud shares, as for createVolume; each driver checks its own limits beyond them.
const metadata = z.record(text(512), z.string().max(512, { error: 'expected at most 512 characters' }));

const createSnapshot = z.object({
  volumeId: idSchema,
  name: text(255).regex(NO_CONTROL, { error: 'expected a name without control characters' }),
  metadata: metadata.optional(),
  force: z.boolean({ error: 'expected true or false' }).optional(),
});

const snapshotRef = z.object({ snapshotId: idSchema });
const snapshotFilter = z.object({ volumeId: idSchema.optional(), metadata: metadata.optional() });

/** Validators of the snapshot calls' requests; each throws an `invalid-request` error naming the field. */
export const validateSnapshotRequest = {
  createSnapshot: (r: unknown): CreateSnapshotRequest =>
    parseOrThrow(createSnapshot, r, '', 'invalid createSnapshot request'),
  snapshotRef: (r: unknown): SnapshotRef => parseOrThrow(snapshotRef, r, '', 'invalid snapshot reference'),
  snapshotFilter: (r: unknown): SnapshotFilter =>
    parseOrThrow(snapshotFilter, r ?? {}, '', 'invalid snapshot filter'),
};
