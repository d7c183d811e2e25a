import type { ResolvedCallOptions } from '../call-options.js';
import { BrokerError } from '../errors.js';
import type { DeleteServerResult, Server, ServerRef } from '../types.js';
import { verdict, type WaitVerdict } from '../waiter.js';
import type { MemoryCloud } from './memory-cloud.js';

/** How a delete waits: the driver's own `waitFor` over a server read, `undefined` once gone. */
export type MemoryServerGoneWait = (
  description: string,
  call: ResolvedCallOptions,
  probe: () => Promise<Server | undefined>,
  stateOf: (value: Server | undefined) => string,
  check: (value: Server | undefined) => WaitVerdict,
) => Promise<Server | undefined>;

/**
 * Deletes a server in the memory cloud and, unless the call does not wait,
 * waits until it is gone. A missing server is not an error (`deleted: false`).
 */
export async function deleteMemoryServer(
  cloud: MemoryCloud,
  request: ServerRef,
  call: ResolvedCallOptions,
  wait: MemoryServerGoneWait,
): Promise<DeleteServerResult> {
  if (!cloud.deleteServer(request.serverId)) return { serverId: request.serverId, deleted: false };
  if (call.wait === false) return { serverId: request.serverId, deleted: true };
  await wait(
    `server ${request.serverId} to be deleted`,
    call,
    async () => {
      try {
        return cloud.server(request.serverId);
      } catch (error) {
        if (error instanceof BrokerError && error.code === 'not-found') return undefined;
        throw error;
      }
    },
    (s) => s?.providerStatus ?? 'gone',
    (s) => (s === undefined ? verdict.done : verdict.pending),
  );
  return { serverId: request.serverId, deleted: true };
}
