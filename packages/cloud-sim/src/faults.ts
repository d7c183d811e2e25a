import type { FaultAction, FaultRule, FaultRuleStatus } from './fault-rules.js';
import { pathMatches } from './path-pattern.js';
import type { SimRandom } from './random.js';
import type { TransitionFault } from './service.js';

/** The request a rule is matched against. */
export interface FaultTarget {
  readonly method: string;
  readonly path: string;
  /** The matched route's pattern, when the request was routed. */
  readonly routePattern: string | undefined;
}

/** The combined effect of every rule that fired for one request. */
export interface FaultDecision {
  /** Total added latency. */
  readonly latencyMs: number;
  /** Settles when a `rendezvous` rule lets the request go on. */
  readonly hold: Promise<void> | undefined;
  /** Revoke the caller's token before handling. */
  readonly revokeToken: boolean;
  /** An error response or connection reset that replaces the handler. */
  readonly terminal:
    | Extract<FaultAction, { type: 'error' | 'throttle' | 'unavailable' | 'reset' | 'wire' }>
    | undefined;
  /** How the state change this request starts should go. */
  readonly transition: TransitionFault | undefined;
}

interface Entry {
  rule: FaultRule;
  id: string;
  seen: number;
  fired: number;
  /** Requests a `rendezvous` rule holds: each one's release. */
  held: (() => void)[];
}

/**
 * Per-route fault rules. Rules are checked in the order added; every matching rule that
 * fires contributes (latencies add up), and the first terminal one decides the response.
 */
export class FaultSet {
  readonly #entries: Entry[] = [];
  readonly #random: SimRandom;
  #nextId = 1;

  /** @param random source for `probability` draws (seeded for determinism) */
  constructor(random: SimRandom) {
    this.#random = random;
  }

  /** Adds a rule and returns its id. */
  add(rule: FaultRule): string {
    const id = rule.id ?? `fault-${this.#nextId++}`;
    this.#entries.push({ rule, id, seen: 0, fired: 0, held: [] });
    return id;
  }

  /** Removes one rule; false when no such id. */
  remove(id: string): boolean {
    const index = this.#entries.findIndex((e) => e.id === id);
    if (index < 0) return false;
    this.#entries.splice(index, 1);
    return true;
  }

  /** Removes every rule. */
  clear(): void {
    this.#entries.length = 0;
  }

  /** The rules with their counters. */
  list(): FaultRuleStatus[] {
    return this.#entries.map((e) => ({ ...e.rule, id: e.id, seen: e.seen, fired: e.fired }));
  }

  /** Decides what the rules do to one request, updating their counters. */
  evaluate(target: FaultTarget): FaultDecision | undefined {
    if (this.#entries.length === 0) return undefined;
    let latencyMs = 0;
    let hold: Promise<void> | undefined;
    let revokeToken = false;
    let terminal: FaultDecision['terminal'];
    let transition: TransitionFault | undefined;
    let any = false;
    for (const entry of this.#entries) {
      if (!this.#fires(entry, target)) continue;
      any = true;
      const action = entry.rule.action;
      switch (action.type) {
        case 'latency':
          latencyMs += action.ms;
          break;
        case 'rendezvous':
          hold = meet(entry, action.count, action.maxMs);
          break;
        case 'revoke-token':
          revokeToken = true;
          break;
        case 'stuck':
          transition ??= { outcome: 'stuck', ...(action.status ? { status: action.status } : {}) };
          break;
        case 'error-state':
          transition ??= { outcome: 'error', ...(action.status ? { status: action.status } : {}) };
          break;
        default:
          terminal ??= action;
      }
    }
    return any ? { latencyMs, hold, revokeToken, terminal, transition } : undefined;
  }

  #fires(entry: Entry, target: FaultTarget): boolean {
    const { rule } = entry;
    if (rule.method !== undefined && rule.method !== '*' && rule.method.toUpperCase() !== target.method) {
      return false;
    }
    if (rule.path !== undefined && !pathMatches(rule.path, target.path, target.routePattern)) return false;
    if (rule.times !== undefined && entry.fired >= rule.times) return false;
    entry.seen++;
    if (entry.seen <= (rule.skip ?? 0)) return false;
    if (rule.probability !== undefined && this.#random.next() >= rule.probability) return false;
    entry.fired++;
    return true;
  }
}

/** Holds one request of a `rendezvous` rule: all go on when `count` are held, or each after `maxMs`. */
function meet(entry: Entry, count: number, maxMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(release, maxMs);
    function release(): void {
      clearTimeout(timer);
      resolve();
    }
    entry.held.push(release);
    if (entry.held.length < count) return;
    for (const go of entry.held.splice(0)) go();
  });
}
