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
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Cinder's `2013-02-25T02:40:21.000000` (microseconds, no zone). */
export function cinderTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}
