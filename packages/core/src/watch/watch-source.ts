import type { WatchKind } from './watch-types.js';

/**
 * A push source's hint: the resource `id` of `kind` may have changed. It is never the truth
 * itself: the watch reads the resource and sends only what the read shows.
 */
export interface WatchHint {
  /** The kind of the resource named. */
  readonly kind: WatchKind;
  /** The resource's id, as the platform's reads take it. */
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
  /** Ends the subscription; the last one to end closes the source's connection. */
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
