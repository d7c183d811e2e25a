import { z } from 'zod';
import { parseOrThrow } from './config/schema-helpers.js';
import {
  type AttachVolumeRequest,
  type CreateServerRequest,
  type DetachVolumeRequest,
  type MoveVolumeRequest,
  type ServerFilter,
  type ServerRef,
  VOLUME_STATUSES,
  type VolumeFilter,
  type VolumeRef,
} from './types.js';

// Control characters are never part of a cloud id; they would corrupt URLs and logs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject them
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
// Half of a surrogate pair alone is no text: it cannot be percent-encoded into a URL (URIError).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A resource id: 1-1024 printable characters. Drivers still percent-encode it in URLs. */
export const idSchema = z
  .string({ error: 'expected a string id' })
  .min(1, { error: 'expected a non-empty id' })
  .max(1024, { error: 'expected an id of at most 1024 characters' })
  .regex(NO_CONTROL, { error: 'expected an id without control characters' })
  // "." and ".." are no cloud's id, and in a URL path they climb instead of naming a resource.
  .refine((id) => id !== '.' && id !== '..', { error: 'expected an id, not "." or ".."' })
  .refine((id) => !LONE_SURROGATE.test(id), { error: 'expected an id of well-formed Unicode text' });

const text = (max: number) =>
  z
    .string()
    .min(1, { error: 'expected a non-empty string' })
    .max(max, { error: `expected at most ${max} characters` });

const serverRef = z.object({ serverId: idSchema });
const volumeRef = z.object({ volumeId: idSchema });

const createServer = z.object({
  name: text(255).regex(NO_CONTROL, { error: 'expected a name without control characters' }),
  image: text(1024),
  flavor: text(255),
  networks: z.array(text(1024)).max(16).optional(),
  securityGroups: z.array(text(255)).max(16).optional(),
  availabilityZone: text(255).optional(),
  region: text(255).optional(),
  userData: z.string().max(65_535, { error: 'expected user data of at most 65535 characters' }).optional(),
  keyName: text(255).optional(),
  adminUsername: text(64).optional(),
  sshPublicKey: text(16_384).optional(),
  metadata: z.record(text(255), z.string().max(255, { error: 'expected at most 255 characters' })).optional(),
  // Each driver checks its cloud's own grammar; this is the bound every cloud shares.
  antiAffinityGroup: text(255)
    .regex(NO_CONTROL, { error: 'expected a name without control characters' })
    .optional(),
});

const attach = z.object({
  serverId: idSchema,
  volumeId: idSchema,
  device: text(64).optional(),
  readOnly: z.boolean().optional(),
});

const detach = z.object({ serverId: idSchema, volumeId: idSchema });

const move = z
  .object({ volumeId: idSchema, fromServerId: idSchema, toServerId: idSchema, device: text(64).optional() })
  .refine((r) => r.fromServerId !== r.toServerId, {
    error: 'expected a toServerId other than fromServerId',
    path: ['toServerId'],
  });

const pairs = z.record(text(255), z.string().max(255, { error: 'expected at most 255 characters' }));

const serverFilter = z.object({
  name: text(255).optional(),
  metadata: pairs.optional(),
  idempotencyKey: text(64).optional(),
  region: text(255).optional(),
});

const volumeFilter = z.object({
  name: text(255).optional(),
  metadata: pairs.optional(),
  serverId: idSchema.optional(),
  status: z.enum(VOLUME_STATUSES).optional(),
  region: text(255).optional(),
});

/** True when `id` passes `idSchema`: the check of every call, done without zod when it passes. */
function isValidId(id: unknown): id is string {
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= 1024 &&
    NO_CONTROL.test(id) &&
    id !== '.' &&
    id !== '..' &&
    !LONE_SURROGATE.test(id)
  );
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The reference and attach checks run on every call. A valid request is checked and copied
// (unknown keys dropped, as zod does) by hand; only an invalid one goes through zod, which
// then names the field and what was expected.
function serverRefOf(r: unknown): ServerRef | undefined {
  return isPlainRecord(r) && isValidId(r.serverId) ? { serverId: r.serverId } : undefined;
}

function volumeRefOf(r: unknown): VolumeRef | undefined {
  return isPlainRecord(r) && isValidId(r.volumeId) ? { volumeId: r.volumeId } : undefined;
}

function detachOf(r: unknown): DetachVolumeRequest | undefined {
  return isPlainRecord(r) && isValidId(r.serverId) && isValidId(r.volumeId)
    ? { serverId: r.serverId, volumeId: r.volumeId }
    : undefined;
}

function attachOf(r: unknown): AttachVolumeRequest | undefined {
  if (!isPlainRecord(r) || !isValidId(r.serverId) || !isValidId(r.volumeId)) return undefined;
  const { device, readOnly } = r;
  if (device !== undefined && (typeof device !== 'string' || device.length < 1 || device.length > 64))
    return undefined;
  if (readOnly !== undefined && typeof readOnly !== 'boolean') return undefined;
  return {
    serverId: r.serverId,
    volumeId: r.volumeId,
    ...(device === undefined ? {} : { device }),
    ...(readOnly === undefined ? {} : { readOnly }),
  };
}

/** Validators of every request; each throws an `invalid-request` error naming the field. */
export const validateRequest = {
  createServer: (r: unknown): CreateServerRequest =>
    parseOrThrow(createServer, r, '', 'invalid createServer request'),
  attachVolume: (r: unknown): AttachVolumeRequest =>
    attachOf(r) ?? parseOrThrow(attach, r, '', 'invalid attachVolume request'),
  detachVolume: (r: unknown): DetachVolumeRequest =>
    detachOf(r) ?? parseOrThrow(detach, r, '', 'invalid detachVolume request'),
  serverRef: (r: unknown): ServerRef =>
    serverRefOf(r) ?? parseOrThrow(serverRef, r, '', 'invalid server reference'),
  volumeRef: (r: unknown): VolumeRef =>
    volumeRefOf(r) ?? parseOrThrow(volumeRef, r, '', 'invalid volume reference'),
  moveVolume: (r: unknown): MoveVolumeRequest => parseOrThrow(move, r, '', 'invalid moveVolume request'),
  serverFilter: (r: unknown): ServerFilter =>
    r === undefined ? {} : parseOrThrow(serverFilter, r, '', 'invalid server filter'),
  volumeFilter: (r: unknown): VolumeFilter =>
    r === undefined ? {} : parseOrThrow(volumeFilter, r, '', 'invalid volume filter'),
};
