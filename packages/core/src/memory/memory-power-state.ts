import { BrokerError } from '../errors.js';
import type { PowerOperation, ServerPowerState } from '../power-types.js';

/** What of a memory server record its power derives from (memory-state.ts keeps the whole record). */
export interface MemoryPowered {
  readonly id: string;
  readonly readyAt: number;
  power?: MemoryPowerRecord;
}

/** A memory server's power change: where it ends, and the transition shown until `doneAt`. */
export interface MemoryPowerRecord {
  readonly target: 'running' | 'stopped';
  readonly changing: 'starting' | 'stopping' | 'rebooting';
  readonly doneAt: number;
}

/** The power of a memory server at time `now`: a server without a power record runs once built. */
export function memoryPowerOf(record: MemoryPowered, now: number): ServerPowerState {
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
export function changePower(record: MemoryPowered, operation: PowerOperation, now: number, ms: number) {
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
