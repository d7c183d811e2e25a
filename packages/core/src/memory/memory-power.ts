import type { ResolvedCallOptions, ResolvedWaitOptions } from '../call-options.js';
import { runPower } from '../engine/power-engine.js';
import { BrokerError, isBrokerError } from '../errors.js';
import type { BrokerEventInput } from '../events.js';
import type { PowerOperation, ServerPowerState } from '../power-types.js';
import type { Server } from '../types.js';
import { waitFor } from '../waiter.js';
import type { MemoryCloud } from './memory-cloud.js';
import type { MemoryServerRecord } from './memory-state.js';

/** A memory server's power change: where it ends, and the transition shown until `doneAt`. */
export interface MemoryPowerRecord {
  readonly target: 'running' | 'stopped';
  readonly changing: 'starting' | 'stopping' | 'rebooting';
  readonly doneAt: number;
}

/** The power of a memory server at time `now`: a server without a power record runs once built. */
export function memoryPowerOf(record: MemoryServerRecord, now: number): ServerPowerState {
  if (now < record.readyAt) return 'starting';
  const power = record.power;
  if (power === undefined) return 'running';
  return now < power.doneAt ? power.changing : power.target;
}

const CHANGE: Readonly<Record<PowerOperation, MemoryPowerRecord['changing']>> = {
  startServer: 'starting',
  stopServer: 'stopping',
  rebootServer: 'rebooting',
};

/**
 * Starts a power change on `record`, refused as Nova refuses it (409, `invalid-state`): while
 * it builds or another change is under way, or when it is already where a start or stop would
 * take it (a reboot only of a running server).
 */
export function changePower(record: MemoryServerRecord, operation: PowerOperation, now: number, ms: number) {
  const power = memoryPowerOf(record, now);
  const target = operation === 'stopServer' ? 'stopped' : 'running';
  const wanted = operation === 'startServer' ? 'stopped' : 'running';
  if (power !== wanted) {
    throw new BrokerError(
      'invalid-state',
      `cannot ${CHANGE[operation]} server ${record.id} while it is ${power}`,
      {
        providerCode: 'Conflict',
        statusCode: 409,
      },
    );
  }
  record.power = { target, changing: CHANGE[operation], doneAt: now + ms };
}

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
