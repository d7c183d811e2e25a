import { createRandom, type SimRandom } from '../random.js';

/** The shortest and longest time a transition takes, in ms; each change draws uniformly between them. */
export type TransitionRange = readonly [minMs: number, maxMs: number];

/**
 * Seeded transition times: per kind of change (e.g. `attachMs`), a range to draw from.
 *
 * @example { seed: 7, ranges: { attachMs: [1000, 4000], detachMs: [1000, 3000], serverBuildMs: [5000, 20000] } }
 */
export interface TransitionTimesSpec<K extends string = string> {
  /** Seeds the draws, so a run is reproducible (default 1). */
  readonly seed?: number;
  /** Kinds left out keep the sim's fixed delay. */
  readonly ranges: Partial<Record<K, TransitionRange>>;
}

/**
 * Draws transition times from a seeded stream of its own: ids and faults drawn in between
 * cannot shift it, so one seed gives one sequence of times per kind.
 */
export class TransitionTimes<K extends string = string> {
  readonly #ranges = new Map<K, TransitionRange>();
  readonly #streams = new Map<K, SimRandom>();
  readonly #seed: number;

  /** @param spec the ranges and seed; every range is checked */
  constructor(spec: TransitionTimesSpec<K>) {
    this.#seed = spec.seed ?? 1;
    for (const [kind, range] of Object.entries(spec.ranges) as [K, TransitionRange | undefined][]) {
      if (range !== undefined) this.set(kind, range);
    }
  }

  /** Sets (or replaces) one kind's range; its draws restart from the seed. */
  set(kind: K, range: TransitionRange): void {
    const [min, max] = range;
    if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0 || max < min) {
      throw new TypeError(`transition range ${kind}: expected [minMs, maxMs] with 0 <= minMs <= maxMs`);
    }
    this.#ranges.set(kind, [min, max]);
    // One stream per kind, so attaches drawn between detaches do not shift the detach times.
    this.#streams.set(kind, createRandom((this.#seed ^ hash(kind)) >>> 0));
  }

  /** The ranges in force, for the admin API. */
  ranges(): Partial<Record<K, TransitionRange>> {
    return Object.fromEntries(this.#ranges) as Partial<Record<K, TransitionRange>>;
  }

  /** The next time of `kind`, or `fixedMs` when no range is set for it. */
  draw(kind: K, fixedMs: number): number {
    const range = this.#ranges.get(kind);
    const stream = this.#streams.get(kind);
    if (!range || !stream) return fixedMs;
    return Math.round(range[0] + stream.next() * (range[1] - range[0]));
  }
}

// FNV-1a: a stable small hash of the kind's name, to give each kind its own stream.
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
