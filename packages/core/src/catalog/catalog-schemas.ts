import { z } from 'zod';
import { parseOrThrow } from '../config/schema-helpers.js';
import { type FlavorFilter, IMAGE_STATUSES, type ImageFilter } from './catalog-types.js';

const text = (max: number) =>
  z
    .string()
    .min(1, { error: 'expected a non-empty string' })
    .max(max, { error: `expected at most ${max} characters` });

const count = z
  .number({ error: 'expected a number' })
  .int({ error: 'expected a whole number' })
  .nonnegative({ error: 'expected a number of at least 0' });

const imageFilter = z.object({
  name: text(1024).optional(),
  status: z.enum(IMAGE_STATUSES).optional(),
  region: text(255).optional(),
});

const flavorFilter = z.object({
  minVcpus: count.optional(),
  minRamMiB: count.optional(),
  region: text(255).optional(),
});

/** Validators of the catalog filters; each throws an `invalid-request` error naming the field. */
export const validateCatalog = {
  imageFilter: (r: unknown): ImageFilter =>
    r === undefined ? {} : parseOrThrow(imageFilter, r, '', 'invalid image filter'),
  flavorFilter: (r: unknown): FlavorFilter =>
    r === undefined ? {} : parseOrThrow(flavorFilter, r, '', 'invalid flavor filter'),
};
