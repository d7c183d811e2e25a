import type { Clock } from '../clock.js';
import type { Platform, PlatformDriver } from '../driver.js';
import { isBrokerError } from '../errors.js';
import type { SecretScrubPolicy } from '../runtime/secret-scrub-policy.js';
import { createWatch } from './create-watch.js';
import type { PushWiring } from './push-feed.js';
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
  /**
   * The driver's push source, if it has one, with reads through the platform's own wrapped
   * `getVolume`/`getServer` (a resource the cloud no longer has reads as undefined).
   */
  push(platform: Platform, driver: PlatformDriver, scrub: SecretScrubPolicy): PushWiring | undefined {
    const source = driver.watchSource?.();
    if (!source) return undefined;
    return {
      source,
      read: async (kind, id, signal) => {
        try {
          return kind === 'volume'
            ? await platform.getVolume({ volumeId: id }, { signal })
            : await platform.getServer({ serverId: id }, { signal });
        } catch (error) {
          if (isBrokerError(error, 'not-found')) return undefined;
          throw error;
        }
      },
      scrub: (text) => scrub.clean(new Error(text), 'watch').message,
    };
  },
  /** A watch on `lists`; a bad selector or option is thrown as a scrubbed `invalid-request`. */
  start(
    lists: SharedLists,
    selector: WatchSelector,
    options: WatchOptions | undefined,
    clock: Clock | undefined,
    scrub: SecretScrubPolicy,
    push?: PushWiring,
  ): Watch {
    try {
      return createWatch(lists, selector, options, clock, push);
    } catch (error) {
      throw scrub.clean(error, 'watch');
    }
  },
};
