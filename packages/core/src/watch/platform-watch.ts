import type { Clock } from '../clock.js';
import type { Platform } from '../driver.js';
import type { SecretScrubPolicy } from '../runtime/secret-scrub-policy.js';
import { createWatch } from './create-watch.js';
import { SharedLists } from './shared-lists.js';
import type { Watch, WatchOptions, WatchSelector } from './watch-types.js';

/** How the runtime wrapper gives a platform its `watch`. */
export const watchPlatform = {
  /** The platform's shared lists, made of its own wrapped (validated, reported, scrubbed) list calls. */
  lists(platform: Platform, clock: Clock | undefined): SharedLists {
    return new SharedLists(
      (kind, signal) =>
        kind === 'volume'
          ? platform.listVolumes(undefined, { signal })
          : platform.listServers(undefined, { signal }),
      clock,
    );
  },
  /** A watch on `lists`; a bad selector or option is thrown as a scrubbed `invalid-request`. */
  start(
    lists: SharedLists,
    selector: WatchSelector,
    options: WatchOptions | undefined,
    clock: Clock | undefined,
    scrub: SecretScrubPolicy,
  ): Watch {
    try {
      return createWatch(lists, selector, options, clock);
    } catch (error) {
      throw scrub.clean(error, 'watch');
    }
  },
};
