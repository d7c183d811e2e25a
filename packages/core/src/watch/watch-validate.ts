import { BrokerError, isBrokerError } from '../errors.js';
import { validateRequest } from '../request-schemas.js';
import type { ServerFilter, VolumeFilter } from '../types.js';
import type { WatchIds, WatchKind, WatchOptions, WatchSelector, WatchSourceName } from './watch-types.js';

/** One kind's part of a valid selector. */
export type KindSelector<F> = { readonly ids: ReadonlySet<string> } | { readonly filter: F };

/** A selector after validation: the kinds watched, each by ids or by a filter. */
export interface ValidSelector {
  readonly volume?: KindSelector<VolumeFilter>;
  readonly server?: KindSelector<ServerFilter>;
}

/** Options after validation, with their defaults. */
export interface ValidWatchOptions {
  readonly resyncMs: number;
  readonly pollMs: number;
  readonly since: string | undefined;
  /** `auto` resolved: `notifications` when the platform has a push source. */
  readonly source: 'poll' | 'notifications';
  readonly signal: AbortSignal | undefined;
}

const SOURCES: readonly WatchSourceName[] = ['poll', 'notifications', 'auto'];

function invalid(field: string, message: string): BrokerError {
  return new BrokerError('invalid-request', `${field}: ${message}`, { field });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validIds(value: WatchIds, field: string): ReadonlySet<string> {
  const ids: unknown = value.ids;
  if (!Array.isArray(ids)) throw invalid(`${field}.ids`, 'must be an array of ids');
  ids.forEach((id: unknown, i) => {
    if (typeof id !== 'string' || id === '')
      throw invalid(`${field}.ids[${i}]`, 'must be a non-empty string');
  });
  if (Object.keys(value).length > 1) throw invalid(field, 'takes either ids or a filter, not both');
  return new Set(ids as string[]);
}

function kindSelector<F>(value: unknown, field: string, parse: (r: unknown) => F): KindSelector<F> {
  if (!isPlainObject(value)) throw invalid(field, 'must be a filter or { ids }');
  if ('ids' in value) return { ids: validIds(value as unknown as WatchIds, field) };
  try {
    return { filter: parse(value) };
  } catch (error) {
    if (!isBrokerError(error, 'invalid-request')) throw error;
    const inner = error.field === undefined || error.field === '' ? field : `${field}.${error.field}`;
    throw new BrokerError('invalid-request', `${inner}: ${error.message}`, { field: inner, cause: error });
  }
}

/** The selector checked; a bad part is an `invalid-request` naming its field (`selector.volumes.ids[0]`). */
export function validateSelector(selector: WatchSelector): ValidSelector {
  if (!isPlainObject(selector)) throw invalid('selector', 'must be an object');
  for (const key of Object.keys(selector)) {
    if (key !== 'volumes' && key !== 'servers') throw invalid(`selector.${key}`, 'is not a selector field');
  }
  if (selector.volumes === undefined && selector.servers === undefined) {
    throw invalid('selector', 'names no kind: give volumes, servers or both');
  }
  return {
    ...(selector.volumes === undefined
      ? {}
      : { volume: kindSelector(selector.volumes, 'selector.volumes', validateRequest.volumeFilter) }),
    ...(selector.servers === undefined
      ? {}
      : { server: kindSelector(selector.servers, 'selector.servers', validateRequest.serverFilter) }),
  };
}

function positiveMs(value: unknown, field: string, fallback: number, least: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < least) {
    throw invalid(field, `must be a whole number of ms, at least ${least}`);
  }
  return value;
}

/**
 * The options checked, with their defaults. `notifications` needs a push source configured on
 * the platform (`pushConfigured`; `unknown` while a lazy platform is not made yet, when the
 * real watch checks it), else it is refused naming `options.source`; `auto` then polls.
 */
export function validateWatchOptions(
  options: WatchOptions | undefined,
  pushConfigured: boolean | 'unknown' = false,
): ValidWatchOptions {
  if (options !== undefined && !isPlainObject(options)) throw invalid('options', 'must be an object');
  const o: WatchOptions = options ?? {};
  const pollMs = positiveMs(o.pollMs, 'options.pollMs', 1_000, 10);
  const resyncMs = positiveMs(o.resyncMs, 'options.resyncMs', 300_000, pollMs);
  if (o.source !== undefined && !SOURCES.includes(o.source)) {
    throw invalid('options.source', `must be one of ${SOURCES.join(', ')}`);
  }
  if (o.source === 'notifications' && pushConfigured === false) {
    throw invalid(
      'options.source',
      'notifications need a `notifications` config on the platform, which it has not',
    );
  }
  if (o.since !== undefined && (typeof o.since !== 'string' || o.since === '')) {
    throw invalid('options.since', 'must be a cursor string from an earlier event');
  }
  const push = (o.source === 'notifications' || o.source === 'auto') && pushConfigured === true;
  return { resyncMs, pollMs, since: o.since, source: push ? 'notifications' : 'poll', signal: o.signal };
}

/** The kinds a valid selector watches, volumes first. */
export function watchedKinds(selector: ValidSelector): readonly WatchKind[] {
  return (['volume', 'server'] as const).filter((kind) => selector[kind] !== undefined);
}
