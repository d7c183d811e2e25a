import type { SimRandom } from '../random.js';
import type { Scheduler } from '../scheduler.js';
import type { OperationRecord } from './arm-model.js';

/** What a finished operation reports: nothing (Succeeded) or ARM's error (Failed). */
export type OperationOutcome = { readonly code: string; readonly message: string } | undefined;

/**
 * Long-running operations: each runs `finish` after a delay on the shared
 * scheduler (so reset/stop cancel it) and is polled through its status URL.
 * `never` keeps it InProgress (the `stuck` fault).
 */
export class ArmOperations {
  readonly #ops = new Map<string, OperationRecord>();
  readonly #scheduler: Scheduler;
  readonly #random: SimRandom;

  constructor(scheduler: Scheduler, random: SimRandom) {
    this.#scheduler = scheduler;
    this.#random = random;
  }

  /** Starts an operation; returns its id. */
  start(delayMs: number | 'never', finish: () => OperationOutcome): string {
    const op: OperationRecord = {
      id: this.#random.uuid(),
      startTime: new Date().toISOString(),
      status: 'InProgress',
      error: undefined,
      endTime: undefined,
    };
    this.#ops.set(op.id, op);
    if (delayMs !== 'never') {
      this.#scheduler.after(delayMs, () => {
        const error = finish();
        op.status = error ? 'Failed' : 'Succeeded';
        op.error = error;
        op.endTime = new Date().toISOString();
      });
    }
    return op.id;
  }

  /** One operation, if known. */
  get(id: string): OperationRecord | undefined {
    return this.#ops.get(id);
  }

  /** Forgets every operation. */
  clear(): void {
    this.#ops.clear();
  }
}
