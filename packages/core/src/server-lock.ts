import type { ReadOptions } from './driver.js';
import type { KeyedMutex } from './keyed-mutex.js';

/**
 * What core's runtime wrapper adds to the options of a driver's `attachVolume` and
 * `detachVolume`. Programs never pass it; a driver reads it with {@link serverRelease}.
 */
export interface ServerLockOptions {
  /**
   * Ends the per-server lock this call holds, so the next attach or detach of the server
   * can start its own request while this one waits. The race the lock prevents is the
   * choice of a device name, from the prechecks until the cloud accepted the request
   * (Nova reserves the device in the POST, EC2 lists an `attaching` mapping at once), so
   * a driver calls it then, before its wait. Idempotent; a driver that never calls it
   * keeps the lock for the whole call, as before; it is released on every error anyway.
   */
  readonly releaseServer?: () => void;
}

const keepLock = (): void => {};

/**
 * The release of the per-server lock `options` carry, or a no-op when they carry none
 * (a call that did not come through core's wrapper, or a driver that orders attaches itself).
 *
 * @example
 * const sent = serverRelease(options);
 * await nova.attachVolume(server, volume, device, signal);
 * sent(); // the device is reserved: the next attach to this server may go
 * return await waitUntilAttached();
 */
export function serverRelease(options: (ReadOptions & ServerLockOptions) | undefined): () => void {
  return options?.releaseServer ?? keepLock;
}

/**
 * Runs `task` holding `key` of `mutex` until it settles, or until it calls the
 * `releaseServer` of the options it is given. That release also ends the lock `options`
 * already carried (an outer wrapper's), so a driver holding its own lock inside core's
 * (the cascading driver's per-region lock) lets both go at the one point its inner driver says.
 */
export async function withServerLock<T, O extends ReadOptions>(
  mutex: KeyedMutex,
  key: string,
  options: O | undefined,
  task: (options: O & ServerLockOptions) => Promise<T>,
): Promise<T> {
  const release = await mutex.acquire(key);
  const outer = serverRelease(options);
  const both = (): void => {
    release();
    outer();
  };
  try {
    return await task({ ...options, releaseServer: both } as O & ServerLockOptions);
  } finally {
    release();
  }
}
