import type { ResolvedCallOptions } from '../call-options.js';
import { checkSameCreate, REQUEST_DIGEST_KEY } from '../request-digest.js';
import type { CreateServerRequest, Server } from '../types.js';
import { verdict, type WaitVerdict } from '../waiter.js';
import { resolveMemoryNames } from './memory-catalog.js';
import type { MemoryCloud } from './memory-cloud.js';
import { invalid } from './memory-records.js';

/** How a create waits: the driver's own `waitFor` over a server read. */
export type MemoryServerWait = (
  description: string,
  call: ResolvedCallOptions,
  probe: () => Promise<Server>,
  stateOf: (value: Server) => string,
  check: (value: Server) => WaitVerdict,
) => Promise<Server>;

/**
 * Creates a server in the memory cloud, or finds the one its idempotency key
 * made (refusing the key reused for another request), and waits until it runs.
 */
export async function createMemoryServer(
  cloud: MemoryCloud,
  request: CreateServerRequest,
  call: ResolvedCallOptions,
  wait: MemoryServerWait,
): Promise<Server> {
  const options = cloud.options;
  const named = resolveMemoryNames(options, request);
  const zone = request.availabilityZone ?? cloud.defaultZone();
  if (!options.availabilityZones.includes(zone)) {
    throw invalid(
      'availabilityZone',
      `availability zone "${zone}" not found; known: ${options.availabilityZones.join(', ')}`,
    );
  }
  const key = call.idempotencyKey;
  const existing = key === undefined ? undefined : cloud.serverByKey(key);
  if (existing && key !== undefined) checkSameCreate(key, existing.metadata[REQUEST_DIGEST_KEY], named);
  const record = existing ?? cloud.buildServer(named, zone, key);
  if (call.wait === false) return record;
  return wait(
    `server ${record.id} to be running`,
    call,
    async () => cloud.server(record.id),
    (s) => s.providerStatus,
    (s) =>
      s.status === 'running'
        ? verdict.done
        : s.status === 'error'
          ? verdict.failed(s.fault ?? 'server went to ERROR')
          : verdict.pending,
  );
}
