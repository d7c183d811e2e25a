import type { Platform } from '../driver.js';
import type { Watch, WatchEvent, WatchOptions, WatchSelector } from './watch-types.js';
import { validateSelector, validateWatchOptions } from './watch-validate.js';

/**
 * A watch of a platform not created yet (a lazy driver): the input is checked at once, so a
 * bad field still throws from `watch()`, and the real watch starts once the platform exists.
 * A failed creation is thrown by the iteration.
 */
export function deferredWatch(
  platform: Promise<Platform>,
  selector: WatchSelector,
  options?: WatchOptions,
): Watch {
  validateSelector(selector);
  // Whether the platform has a push source is known once it is made: the real watch checks it.
  validateWatchOptions(options, 'unknown');
  let closed = false;
  let inner: Watch | undefined;
  const started = platform.then((p) => {
    inner = p.watch(selector, options);
    if (closed) inner.close();
    return inner;
  });
  // An unused watch whose platform failed must not leave an unhandled rejection.
  started.catch(() => undefined);
  return {
    close() {
      closed = true;
      inner?.close();
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent> {
      const watch = await started;
      try {
        yield* watch;
      } finally {
        watch.close();
      }
    },
  };
}
