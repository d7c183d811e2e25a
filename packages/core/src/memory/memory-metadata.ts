import type { ResolvedCallOptions, ResolvedWaitOptions } from '../call-options.js';
import { mergeMetadata, runMetadataChange } from '../engine/metadata-engine.js';
import type { BrokerEventInput } from '../events.js';
import { OPENSTACK_METADATA_LIMITS } from '../metadata-limits.js';
import type { SetServerMetadataRequest, SetVolumeMetadataRequest } from '../metadata-types.js';
import type { Server, Volume } from '../types.js';
import { waitFor } from '../waiter.js';
import type { MemoryCloud } from './memory-cloud.js';
import { IDEMPOTENCY_TAG } from './memory-records.js';

// The memory cloud keeps OpenStack's rules, as its volume creates do.
const RULES = { limits: OPENSTACK_METADATA_LIMITS, marker: IDEMPOTENCY_TAG };

/** `setVolumeMetadata` or `setServerMetadata` on the memory cloud, through core's engine. */
export function memoryMetadata(
  cloud: MemoryCloud,
  request: SetVolumeMetadataRequest | SetServerMetadataRequest,
  call: ResolvedCallOptions,
  emit: ((event: BrokerEventInput) => void) | undefined,
): Promise<Volume | Server> {
  const [kind, id] =
    'volumeId' in request ? (['volume', request.volumeId] as const) : (['server', request.serverId] as const);
  const read = async (): Promise<Volume | Server> =>
    kind === 'volume' ? cloud.volume(id) : cloud.server(id);
  return runMetadataChange<Volume | Server>(
    request,
    RULES,
    {
      read,
      send: async (set, remove) => {
        const current = (await read()).metadata ?? {};
        cloud.writeMetadata(kind, id, mergeMetadata(current, { set, remove }));
      },
      wait: (description, check) =>
        waitFor({
          description,
          probe: read,
          check,
          stateOf: (r) => r.providerStatus,
          options: call.wait as ResolvedWaitOptions,
          signal: call.signal,
          clock: cloud.clock,
          emit,
          resource: { kind, id },
        }),
    },
    call,
    `${kind} ${id}`,
  );
}
