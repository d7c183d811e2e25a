import type { BrokerError } from '../errors.js';
import type { Server, ServerFilter, Volume, VolumeFilter } from '../types.js';

/** Names resources by id instead of by a filter. */
export interface WatchIds {
  readonly ids: readonly string[];
}

/** What a watch follows: volumes, servers or both, each by a list filter or by ids. */
export interface WatchSelector {
  readonly volumes?: VolumeFilter | WatchIds;
  readonly servers?: ServerFilter | WatchIds;
}

/**
 * Where a watch learns of changes. `poll` lists on a grid; `notifications` takes hints from a
 * push source (OpenStack's RabbitMQ bus), which needs the platform's `notifications` config;
 * `auto` uses notifications when they are configured, else polls.
 */
export type WatchSourceName = 'poll' | 'notifications' | 'auto';

/** How a watch runs. Every field has a default. */
export interface WatchOptions {
  /** Ends the watch: the iterator then finishes without an error, like `close()`. */
  readonly signal?: AbortSignal;
  /** A full re-list this often, emitting only what differs. Default 300 000 ms. */
  readonly resyncMs?: number;
  /** Time between two polls, on a grid of clock time shared by every watch of the platform. Default 1 000 ms. */
  readonly pollMs?: number;
  /** A `cursor` of an event of an earlier watch: see docs/watch.md for what it promises. */
  readonly since?: string;
  /** Where changes come from. Default `poll`. */
  readonly source?: WatchSourceName;
}

/** The kinds of resource a watch follows. */
export type WatchKind = 'volume' | 'server';

/** What changed in a resource, named by the part of it. */
export type WatchChange = 'attachments' | 'status' | 'power' | 'metadata' | 'deleted';

/** The resource type of each kind. */
export interface WatchResources {
  readonly volume: Volume;
  readonly server: Server;
}

/** A change to one resource. */
export type WatchResourceEvent = {
  [K in WatchKind]: {
    readonly type: 'added' | 'modified' | 'deleted';
    readonly kind: K;
    readonly id: string;
    /** The resource as last seen (for `deleted`: as last seen before it went). */
    readonly resource: WatchResources[K];
    /** The resource as the previous event of this id showed it (`modified` and `deleted`). */
    readonly previous?: WatchResources[K];
    /** The parts that changed; empty on a `modified` whose change lies elsewhere (name, size, addresses). */
    readonly changes: readonly WatchChange[];
    /** Clock time (ms) of the list that saw the change. */
    readonly observedAt: number;
    /** Pass as `since` to a later watch to resume after this event. */
    readonly cursor: string;
  };
}[WatchKind];

/** Sent once, after the first full list of every watched kind has been delivered. */
export interface WatchSyncedEvent {
  readonly type: 'synced';
  readonly cursor: string;
}

/** A transient failure (a list failed); the watch goes on after a backoff. */
export interface WatchErrorEvent {
  readonly type: 'error';
  /** Scrubbed of the platform's secrets, like every error of the broker. */
  readonly error: BrokerError;
  /** How long the watch waits before its next try. */
  readonly retryInMs: number;
}

/**
 * Where the watch now learns of changes: `notifications` once its push source delivers, `poll`
 * (with the reason, free of secrets) when the source is unreachable or dropped.
 */
export interface WatchSourceEvent {
  readonly type: 'source';
  /** Where changes come from from now on. */
  readonly source: 'notifications' | 'poll';
  /** Why the push source is not used (it failed to connect or dropped); never holds a secret. */
  readonly reason?: string;
}

/** One event of a watch. */
export type WatchEvent = WatchResourceEvent | WatchSyncedEvent | WatchErrorEvent | WatchSourceEvent;

/**
 * A change feed: iterate it once with `for await`. It ends only on `close()`, on the
 * options' abort, or on a fatal `auth-failed` or `forbidden`, which the iteration throws.
 */
export interface Watch extends AsyncIterable<WatchEvent> {
  /** Stops polling and ends the iteration; safe to call more than once. */
  close(): void;
}
