import type { ResolvedCallOptions, ResolvedWaitOptions } from '../call-options.js';
import { runPower } from '../engine/power-engine.js';
import { isBrokerError } from '../errors.js';
import type { BrokerEventInput } from '../events.js';
import type { PowerOperation } from '../power-types.js';
import type { Server } from '../types.js';
import { waitFor } from '../waiter.js';
import type { MemoryCloud } from './memory-cloud.js';

/** A power call on the memory cloud, through core's engine. */
export function memoryPower(
  cloud: MemoryCloud,
  operation: PowerOperation,
  serverId: string,
  call: ResolvedCallOptions,
  emit: ((event: BrokerEventInput) => void) | undefined,
): Promise<Server> {
  const read = async (): Promise<Server> => cloud.server(serverId);
  return runPower(
    operation,
    {
      read,
      send: async () => cloud.changePower(serverId, operation),
      isBusy: (error) => isBrokerError(error, 'invalid-state'),
      wait: (description, check) =>
        waitFor({
          description,
          probe: read,
          check,
          stateOf: (s) => s.providerPowerState ?? s.providerStatus,
          options: call.wait as ResolvedWaitOptions,
          signal: call.signal,
          clock: cloud.clock,
          emit,
          resource: { kind: 'server', id: serverId },
        }),
    },
    call,
  );
}
