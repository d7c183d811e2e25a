import { randomUUID } from 'node:crypto';
import { BrokerError } from '../errors.js';
import { createServerDigest, REQUEST_DIGEST_KEY } from '../request-digest.js';
import type { CreateServerRequest } from '../types.js';
import type { MemoryServerRecord, MemoryVolumeRecord } from './memory-state.js';

/** The metadata key an idempotent create tags its server with. */
export const IDEMPOTENCY_TAG = 'hybrid-broker-idempotency-key';

const DEVICES = 'bcdefghijklmnopqrstuvwxyz'.split('').map((c) => `/dev/vd${c}`);

/** A new server record, building until `now + buildMs`. */
export function newServerRecord(
  request: CreateServerRequest,
  at: {
    zone: string;
    key: string | undefined;
    fault: string | undefined;
    now: number;
    buildMs: number;
    host: string;
  },
): MemoryServerRecord {
  return {
    id: randomUUID(),
    name: request.name,
    image: request.image,
    flavor: request.flavor,
    availabilityZone: at.zone,
    metadata: {
      ...request.metadata,
      ...(at.key === undefined
        ? {}
        : { [IDEMPOTENCY_TAG]: at.key, [REQUEST_DIGEST_KEY]: createServerDigest(request) }),
    },
    createdAt: at.now,
    readyAt: at.now + at.buildMs,
    ...(at.fault === undefined ? {} : { buildFault: at.fault }),
    host: at.host,
    ...(request.antiAffinityGroup === undefined ? {} : { antiAffinityGroup: request.antiAffinityGroup }),
  };
}

/** The live server an earlier create with `key` made, if any. */
export function findServerByKey(
  servers: ReadonlyMap<string, MemoryServerRecord>,
  key: string,
): MemoryServerRecord | undefined {
  for (const record of servers.values()) {
    if (record.metadata[IDEMPOTENCY_TAG] === key && record.deletingSince === undefined) return record;
  }
  return undefined;
}

/** The requested device if free, else the first free `/dev/vdX` of the server. */
export function pickDevice(
  volumes: ReadonlyMap<string, MemoryVolumeRecord>,
  serverId: string,
  requested: string | undefined,
): string {
  const used = new Set<string>();
  for (const volume of volumes.values()) {
    for (const a of volume.attachments) if (a.serverId === serverId) used.add(a.device);
  }
  if (requested !== undefined) {
    if (used.has(requested)) {
      throw new BrokerError('conflict', `device ${requested} is already in use on server ${serverId}`, {
        statusCode: 409,
      });
    }
    return requested;
  }
  const free = DEVICES.find((d) => !used.has(d));
  if (!free) throw new BrokerError('quota-exceeded', `server ${serverId} has no free device name`);
  return free;
}

/** The refusal of a delete of an attached volume: `invalid-state` naming its holder. */
export function attachedError(volumeId: string, serverId: string): BrokerError {
  return new BrokerError(
    'invalid-state',
    `volume ${volumeId} is attached to server ${serverId}; detach it first`,
    {
      heldBy: serverId,
      statusCode: 400,
    },
  );
}

/** An `invalid-request` naming the field, as a cloud's 400 would. */
export function invalid(field: string, message: string): BrokerError {
  return new BrokerError('invalid-request', message, { field, statusCode: 400 });
}
