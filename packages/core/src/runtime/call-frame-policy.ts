import { runInCall } from '../call-scope.js';
import { isBrokerError } from '../errors.js';
import type { RuntimeContext } from './runtime-context.js';

/**
 * Every operation runs in a call frame (its global request id, the scope's span), named
 * generically, and, when somebody listens, between a `start` event and an `end` or `error` one.
 * The error event carries the code of the error as it leaves, so the secret-scrub policy,
 * which makes every failure a BrokerError, runs inside this one.
 */
export class CallFramePolicy {
  readonly #context: RuntimeContext;
  readonly #driverKind: string;

  constructor(context: RuntimeContext, driverKind: string) {
    this.#context = context;
    this.#driverKind = driverKind;
  }

  /** Runs `body` as `operation` of `request`, inside its frame and events. */
  run<T>(operation: string, request: unknown, body: () => Promise<T>): Promise<T> {
    const { platform, region, scope } = this.#context;
    return runInCall({ platform, driver: this.#driverKind, operation, region, request }, scope, () =>
      this.#reported(operation, body),
    );
  }

  async #reported<T>(operation: string, body: () => Promise<T>): Promise<T> {
    const { emit, now } = this.#context;
    // Without a listener no event is built, nor the clock read.
    if (!emit) return body();
    const started = now();
    emit({ type: 'operation', operation, phase: 'start' });
    try {
      const result = await body();
      emit({ type: 'operation', operation, phase: 'end', durationMs: now() - started });
      return result;
    } catch (error) {
      const code = isBrokerError(error) ? error.code : undefined;
      emit({ type: 'operation', operation, phase: 'error', durationMs: now() - started, code });
      throw error;
    }
  }
}
