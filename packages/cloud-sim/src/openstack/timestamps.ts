/**
 * Keystone's `2015-11-05T22:00:11.000000Z` (microseconds, Z). Fernet tokens carry whole
 * seconds, so their times always end in `.000000Z` (`precision: 'seconds'`).
 */
export function keystoneTime(ms: number, precision: 'seconds' | 'millis' = 'millis'): string {
  const at = precision === 'seconds' ? Math.floor(ms / 1000) * 1000 : ms;
  return new Date(at).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Nova's `2012-09-07T16:56:37Z` (seconds, Z). */
export function novaTime(ms: number): string {
  return cached(novaCache, ms, (iso) => `${iso.slice(0, 19)}Z`);
}

/** Cinder's `2013-02-25T02:40:21.000000` (microseconds, no zone). */
export function cinderTime(ms: number): string {
  return cached(cinderCache, ms, (iso) => `${iso.slice(0, 23)}000`);
}

// Resources are read far more often than they change: format each timestamp once.
const novaCache = new Map<number, string>();
const cinderCache = new Map<number, string>();

function cached(cache: Map<number, string>, ms: number, format: (iso: string) => string): string {
  let text = cache.get(ms);
  if (text === undefined) {
    if (cache.size >= 4096) cache.clear();
    text = format(new Date(ms).toISOString());
    cache.set(ms, text);
  }
  return text;
}
