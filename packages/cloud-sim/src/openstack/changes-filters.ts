import { SimError } from '../service.js';

// ISO 8601 as oslo's parse_isotime takes it: a time without a zone is UTC.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds of an ISO 8601 time as Nova and Cinder read it, or undefined when it is not one. */
export function isoTime(text: string): number | undefined {
  if (!ISO.test(text)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Nova's `changes-since`: servers whose `updated_at` is at or after it, deleted ones included. */
export function changesSinceOf(text: string | null): number | undefined {
  if (text === null) return undefined;
  const ms = isoTime(text);
  if (ms === undefined) throw new SimError(400, 'Invalid filter field: changes-since.');
  return ms;
}

const COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
};

/**
 * Cinder's time filters (`updated_at=gt:<ISO>`, also `created_at`; gt, gte, lt, lte, eq, neq,
 * eq when no operator is given), from microversion 3.60. Before it Cinder does not know them.
 */
export function timeFilterOf(
  field: 'updated_at' | 'created_at',
  text: string | null,
  minor: number | undefined,
): ((ms: number) => boolean) | undefined {
  if (text === null) return undefined;
  if (minor === undefined || minor < 60) {
    throw new SimError(400, `Invalid filters ${field} are found in query options.`);
  }
  const colon = text.indexOf(':');
  const op = colon > 0 && /^[a-z]+$/.test(text.slice(0, colon)) ? text.slice(0, colon) : 'eq';
  const compare = COMPARE[op];
  const ms = isoTime(op === 'eq' && !text.startsWith('eq:') ? text : text.slice(colon + 1));
  if (!compare || ms === undefined) {
    throw new SimError(400, `Invalid input received: Invalid filter: ${field}=${text}`);
  }
  return (value) => compare(value, ms);
}

/** What a kept row needs: its id, and the region and project it is listed in. */
export interface DeletedRow {
  readonly id: string;
  readonly region: string;
  readonly projectId: string;
}

interface Tombstone<R> {
  readonly record: R;
  readonly at: number;
}

/**
 * Servers deleted a moment ago: Nova keeps their rows (soft-deleted, status DELETED) until
 * its archive job purges them, and lists them to `changes-since`. Kept `keepMs`, at most `max`.
 */
export class DeletedServers<R extends DeletedRow> {
  readonly #rows = new Map<string, Tombstone<R>>();

  constructor(
    private readonly keepMs = 3_600_000,
    private readonly max = 10_000,
  ) {}

  /** Keeps `record`, gone from the live servers at `at`. */
  add(record: R, at: number): void {
    this.#rows.set(record.id, { record, at });
    if (this.#rows.size > this.max) {
      const oldest = this.#rows.keys().next().value;
      if (oldest !== undefined) this.#rows.delete(oldest);
    }
  }

  /** The deleted servers of one region and project still kept at `now`. */
  of(region: string, projectId: string, now: number): R[] {
    const kept: R[] = [];
    for (const [id, row] of this.#rows) {
      if (now - row.at > this.keepMs) this.#rows.delete(id);
      else if (row.record.region === region && row.record.projectId === projectId) kept.push(row.record);
    }
    return kept;
  }

  /** Forgets them all. */
  clear(): void {
    this.#rows.clear();
  }
}
