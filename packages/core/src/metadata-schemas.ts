import { z } from 'zod';
import { parseOrThrow } from './config/schema-helpers.js';
import type { SetServerMetadataRequest, SetVolumeMetadataRequest } from './metadata-types.js';
import { idSchema } from './request-schemas.js';

// The widest bound of any cloud (Azure tag names, 512); each driver checks its own limits.
const key = z
  .string({ error: 'expected a string key' })
  .min(1, { error: 'expected a non-empty key' })
  .max(512, { error: 'expected a key of at most 512 characters' });

const change = {
  set: z
    .record(
      key,
      z.string({ error: 'expected a string value' }).max(512, { error: 'expected at most 512 characters' }),
    )
    .optional(),
  remove: z.array(key, { error: 'expected an array of keys' }).optional(),
};

interface Change {
  readonly set?: Readonly<Record<string, string>> | undefined;
  readonly remove?: readonly string[] | undefined;
}

// One change must say something, and not both set and remove one key (which would win is a guess).
function checkChange(r: Change, ctx: z.core.$RefinementCtx): void {
  if (Object.keys(r.set ?? {}).length === 0 && (r.remove ?? []).length === 0) {
    ctx.addIssue({ code: 'custom', message: 'expected at least one key in set or remove', path: ['set'] });
    return;
  }
  const both = (r.remove ?? []).find((k) => r.set !== undefined && Object.hasOwn(r.set, k));
  if (both !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `key "${both.slice(0, 40)}" is both set and removed; expected one of them`,
      path: ['remove'],
    });
  }
}

const volume = z.object({ volumeId: idSchema, ...change }).superRefine(checkChange);
const server = z.object({ serverId: idSchema, ...change }).superRefine(checkChange);

/** Validators of the metadata requests; each throws an `invalid-request` error naming the field. */
export const validateMetadataRequest = {
  setVolumeMetadata: (r: unknown): SetVolumeMetadataRequest =>
    parseOrThrow(volume, r, '', 'invalid setVolumeMetadata request'),
  setServerMetadata: (r: unknown): SetServerMetadataRequest =>
    parseOrThrow(server, r, '', 'invalid setServerMetadata request'),
};
