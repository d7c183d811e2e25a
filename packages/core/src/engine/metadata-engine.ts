import type { ResolvedCallOptions } from '../call-options.js';
import { BrokerError } from '../errors.js';
import { checkMetadataLimits, type MetadataLimits } from '../metadata-limits.js';
import { refuseMarkerKeys } from '../metadata-marker.js';
import type { MetadataChange } from '../metadata-types.js';
import { verdict, type WaitVerdict } from '../waiter.js';

/** What a driver's metadata may hold: the cloud's limits and the key it writes itself. */
export interface MetadataRules {
  readonly limits: MetadataLimits;
  /** The driver's idempotency marker key: never set nor removed by a caller. */
  readonly marker: string;
  /** Keys compare case-insensitively (Azure tag names). Default false. */
  readonly ignoreCase?: boolean;
  /** Pairs the cloud holds beyond the resource's normalized metadata (EC2's `Name` tag). Default 0. */
  readonly hidden?: (resource: { readonly name?: string | undefined }) => number;
}

/** What a driver supplies for {@link runMetadataChange}: its read, its send and its wait. */
export interface MetadataPrimitives<R extends { readonly metadata?: Readonly<Record<string, string>> }> {
  /** Reads the resource (a `not-found` when there is none). */
  read(): Promise<R>;
  /** Sends the pairs to set (a merge) and the keys to remove, only those that change something. */
  send(set: Readonly<Record<string, string>>, remove: readonly string[]): Promise<void>;
  /** Polls the resource until `check` says done, bounded by the call's wait. */
  wait(description: string, check: (resource: R) => WaitVerdict): Promise<R>;
}

/**
 * Checks a change against the cloud's limits before anything is read or sent: the marker
 * neither set nor removed, each key and value within bounds. The pair count is checked by
 * {@link runMetadataChange} on the merged result, which needs a read.
 */
export function checkMetadataChange(change: MetadataChange, rules: MetadataRules): void {
  refuseMarkerKeys(change.remove ?? [], rules.marker, () => 'remove', rules.ignoreCase);
  const { maxPairs: _count, ...bounds } = rules.limits;
  checkMetadataLimits(change.set, bounds, rules.marker, 0, 'set');
}

/** The metadata `change` leaves on a resource holding `current`. */
export function mergeMetadata(
  current: Readonly<Record<string, string>>,
  change: MetadataChange,
  ignoreCase = false,
): Record<string, string> {
  const same = (a: string, b: string) => (ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b);
  const gone = [...(change.remove ?? []), ...Object.keys(change.set ?? {})];
  const kept = Object.entries(current).filter(([k]) => !gone.some((g) => same(g, k)));
  return { ...Object.fromEntries(kept), ...change.set };
}

/** Whether `metadata` shows the change: every pair set, every removed key gone. */
export function metadataHolds(
  metadata: Readonly<Record<string, string>> | undefined,
  change: MetadataChange,
  ignoreCase = false,
): boolean {
  const entries = Object.entries(metadata ?? {});
  const find = (key: string) =>
    entries.find(([k]) => (ignoreCase ? k.toLowerCase() === key.toLowerCase() : k === key));
  return (
    Object.entries(change.set ?? {}).every(([k, v]) => find(k)?.[1] === v) &&
    (change.remove ?? []).every((k) => find(k) === undefined)
  );
}

/**
 * One metadata change on one resource, the same on every driver: the change checked before
 * anything is sent, one read, the merged result counted against the cloud's maximum, then
 * only the pairs and keys that change something sent (none: the resource returned as read,
 * nothing sent, so a repeat converges), then a wait until a read shows the change.
 */
export async function runMetadataChange<
  R extends { readonly metadata?: Readonly<Record<string, string>>; readonly name?: string | undefined },
>(
  change: MetadataChange,
  rules: MetadataRules,
  primitives: MetadataPrimitives<R>,
  call: ResolvedCallOptions,
  what: string,
): Promise<R> {
  checkMetadataChange(change, rules);
  const before = await primitives.read();
  const current = before.metadata ?? {};
  const merged = mergeMetadata(current, change, rules.ignoreCase);
  const max = rules.limits.maxPairs;
  const pairs = Object.keys(merged).length + (rules.hidden?.(before) ?? 0);
  if (max !== undefined && pairs > max) {
    throw new BrokerError(
      'invalid-request',
      `set: ${what} would hold ${pairs} pairs; ${rules.limits.label} take at most ${max}`,
      { field: 'set', retryable: false },
    );
  }
  const set = Object.fromEntries(Object.entries(change.set ?? {}).filter(([k, v]) => current[k] !== v));
  const remove = (change.remove ?? []).filter(
    (k) => !metadataHolds(current, { remove: [k] }, rules.ignoreCase),
  );
  if (Object.keys(set).length === 0 && remove.length === 0) return before;
  await primitives.send(set, remove);
  if (call.wait === false) return primitives.read();
  return primitives.wait(`${what} to show its metadata change`, (r) =>
    metadataHolds(r.metadata, change, rules.ignoreCase) ? verdict.done : verdict.pending,
  );
}
