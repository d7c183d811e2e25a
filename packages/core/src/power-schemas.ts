import { z } from 'zod';
import { parseOrThrow } from './config/schema-helpers.js';
import type { RebootServerRequest, StartServerRequest, StopServerRequest } from './power-types.js';
import { idSchema } from './request-schemas.js';

const start = z.object({ serverId: idSchema });
const stop = z.object({
  serverId: idSchema,
  deallocate: z.boolean({ error: 'expected true or false' }).optional(),
});
const reboot = z.object({
  serverId: idSchema,
  hard: z.boolean({ error: 'expected true or false' }).optional(),
});

/** Validators of the power requests; each throws an `invalid-request` error naming the field. */
export const validatePowerRequest = {
  startServer: (r: unknown): StartServerRequest => parseOrThrow(start, r, '', 'invalid startServer request'),
  stopServer: (r: unknown): StopServerRequest => parseOrThrow(stop, r, '', 'invalid stopServer request'),
  rebootServer: (r: unknown): RebootServerRequest =>
    parseOrThrow(reboot, r, '', 'invalid rebootServer request'),
};
