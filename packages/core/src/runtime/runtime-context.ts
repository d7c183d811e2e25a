import type { CallScope } from '../call-scope.js';
import type { Clock } from '../clock.js';
import type { BrokerEventInput } from '../events.js';
import type { KeyedMutex } from '../keyed-mutex.js';

/** What the runtime wrapper needs from its broker. */
export interface RuntimeContext {
  readonly platform: string;
  /** Where operation events go; without it none are built. */
  readonly emit?: ((event: BrokerEventInput) => void) | undefined;
  readonly now: () => number;
  /** The broker's clock, for the poll grid of watches. Default: the system clock. */
  readonly clock?: Clock;
  /** Secret strings of this platform's config, cut out of every error message. */
  readonly secrets: readonly string[];
  /** Shared so that two handles of one platform still serialize attaches. */
  readonly mutex?: KeyedMutex;
  /** Runs each operation inside a scope of its own (a tracing span). */
  readonly scope?: CallScope | undefined;
  /** The platform's region, for the call frame (see CallFrame.region). */
  readonly region?: string | undefined;
  /**
   * The platform's `wait.timeoutMs`: the deadline of a read without `timeoutMs` and of a
   * mutating call without `wait.timeoutMs`. Without it, calls have no deadline of their own.
   */
  readonly timeoutMs?: number;
}
