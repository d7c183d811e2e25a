import type { Clock } from '../clock.js';
import type { Platform } from '../driver.js';
import type { SecretScrubPolicy } from '../runtime/secret-scrub-policy.js';
import { createWatch } from './create-watch.js';
import { type ChangeLister, type KindLister, SharedLists } from './shared-lists.js';
import type { Watch, WatchOptions, WatchSelector } from './watch-types.js';

/** How the runtime wrapper gives a platform its `watch`. */
export const watchPlatform = {
  /**
   * The platform's shared lists, made of its own wrapped (validated, reported, scrubbed) list
   * calls, and of its changes lists where the driver has them (the other kind lists in full).
   */
  lists(platform: Platform, clock: Clock | undefined): SharedLists {
    const full: KindLister = (kind, signal) =>
      kind === 'volume'
        ? platform.listVolumes(undefined, { signal })
        : platform.listServers(undefined, { signal });
    const { listVolumeChanges: volumes, listServerChanges: servers } = platform;
    const changes: ChangeLister | undefined =
      volumes || servers
        ? async (kind, since, signal) => {
            const call = kind === 'volume' ? volumes : servers;
            if (call) return call(since, { signal });
            return { complete: true, items: await full(kind, signal), deleted: [], next: undefined };
          }
        : undefined;
    return new SharedLists(full, clock, changes);
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
