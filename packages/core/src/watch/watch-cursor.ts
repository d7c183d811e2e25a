import { BrokerError } from '../errors.js';
import { hash32 } from './resource-diff.js';
import type { WatchKind } from './watch-types.js';

/** The digest of one kind's delivered set: how many resources, and the sum of their hashes. */
export interface SetDigest {
  readonly count: number;
  readonly sum: number;
}

/** What a cursor holds: when its state was listed, and the digest of that state per kind. */
export interface CursorState {
  readonly listedAt: number;
  readonly digests: Readonly<Partial<Record<WatchKind, SetDigest>>>;
}

const PREFIX = 'w1.';

/** The hash of one resource's entry in a digest. */
function entryHash(id: string, print: number): number {
  return hash32(`${id}:${print}`);
}

/**
 * The digest of the state a consumer has been given, kept up to date one event at a time.
 * A sum of entry hashes changes in O(1) per event, so every event carries its own cursor
 * at no cost that grows with the watched set; the prints it needs are the watch's own.
 */
export class DeliveredDigest {
  readonly #prints = new Map<string, number>();
  readonly #digests = new Map<WatchKind, { count: number; sum: number }>();
  #listedAt = 0;

  constructor(kinds: readonly WatchKind[]) {
    for (const kind of kinds) this.#digests.set(kind, { count: 0, sum: 0 });
  }

  /** Records that the consumer now knows `id` at `print`, or (undefined) that it is gone. */
  apply(kind: WatchKind, id: string, print: number | undefined, listedAt: number): void {
    const digest = this.#digests.get(kind);
    if (!digest) return;
    const key = `${kind}/${id}`;
    const old = this.#prints.get(key);
    if (old !== undefined) {
      digest.sum = (digest.sum - entryHash(id, old)) >>> 0;
      digest.count--;
    }
    if (print === undefined) this.#prints.delete(key);
    else {
      this.#prints.set(key, print);
      digest.sum = (digest.sum + entryHash(id, print)) >>> 0;
      digest.count++;
    }
    this.#listedAt = Math.max(this.#listedAt, listedAt);
  }

  /** Marks the time of a list that found nothing to deliver. */
  touch(listedAt: number): void {
    this.#listedAt = Math.max(this.#listedAt, listedAt);
  }

  /** The cursor of the state delivered so far. */
  cursor(): string {
    return encodeCursor({ listedAt: this.#listedAt, digests: Object.fromEntries(this.#digests) });
  }
}

/** The digest of a whole listed set (id to fingerprint), to compare with a cursor's. */
export function digestOf(prints: Iterable<readonly [string, number]>): SetDigest {
  let count = 0;
  let sum = 0;
  for (const [id, print] of prints) {
    count++;
    sum = (sum + entryHash(id, print)) >>> 0;
  }
  return { count, sum };
}

/** An opaque cursor string of `state`. */
export function encodeCursor(state: CursorState): string {
  const digests = Object.entries(state.digests).map(([kind, d]) => [kind, d.count, d.sum]);
  return PREFIX + Buffer.from(JSON.stringify([state.listedAt, digests])).toString('base64url');
}

function badCursor(): BrokerError {
  return new BrokerError('invalid-request', 'options.since: is not a cursor of a watch event', {
    field: 'options.since',
  });
}

/** The state in a cursor; anything else is an `invalid-request` naming `options.since`. */
export function decodeCursor(cursor: string): CursorState {
  if (!cursor.startsWith(PREFIX)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'number' || !Array.isArray(parsed[1])) throw badCursor();
  const digests: Partial<Record<WatchKind, SetDigest>> = {};
  for (const entry of parsed[1] as unknown[]) {
    if (!Array.isArray(entry) || (entry[0] !== 'volume' && entry[0] !== 'server')) throw badCursor();
    const [kind, count, sum] = entry as [WatchKind, unknown, unknown];
    if (typeof count !== 'number' || typeof sum !== 'number') throw badCursor();
    digests[kind] = { count, sum };
  }
  return { listedAt: parsed[0], digests };
}
