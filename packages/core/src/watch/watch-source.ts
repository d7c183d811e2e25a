import type { WatchResource } from './resource-diff.js';
import type { WatchKind } from './watch-types.js';

/**
 * A push source's hint: the resource `id` of `kind` may have changed. It is never the truth
 * itself: the watch reads the resource and sends only what the read shows.
 */
export interface WatchHint {
  readonly kind: WatchKind;
  readonly id: string;
  /** The cloud's time of the change (ms since the epoch), when the message carries one. */
  readonly changedAt?: number;
  /** The cloud's name of the change (`instance.delete.end`), for tests and logs. */
  readonly cause?: string;
}

/** What a push source tells one subscriber. */
export interface WatchSourceListener {
  /** Something named may have changed. */
  hint(hint: WatchHint): void;
  /** The source delivers (`up`) or does not (`down`, with a reason free of secrets). */
  state(up: boolean, reason?: string): void;
}

/** One subscriber's link to a push source; `close()` frees every socket and timer it holds. */
export interface WatchSubscription {
  close(): Promise<void>;
}

/**
 * A push source of change hints for a platform's watches (OpenStack notifications on
 * RabbitMQ today; EventBridge or Event Grid could plug in the same way). A driver offers one
 * through `PlatformDriver.watchSource()`; core reads each hinted resource before it sends an
 * event, so a lost or forged hint costs a read, never a wrong event.
 */
export interface WatchSource {
  /** A short name for events and docs (`rabbitmq`). */
  readonly name: string;
  /** Starts delivering to `listener` until the subscription is closed. */
  subscribe(listener: WatchSourceListener): WatchSubscription;
}

/** Reads one resource by id for a hint; `undefined` when the cloud no longer has it. */
export type HintReader = (
  kind: WatchKind,
  id: string,
  signal: AbortSignal,
) => Promise<WatchResource | undefined>;

/** What a watch needs to use a platform's push source. */
export interface PushWiring {
  readonly source: WatchSource;
  readonly read: HintReader;
  /** Cuts the platform's secrets out of a source's reason text. */
  readonly scrub: (text: string) => string;
}
