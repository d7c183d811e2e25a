import type { CallOptions } from '../driver.js';
import type { KeyedMutex } from '../keyed-mutex.js';
import { withServerLock } from '../server-lock.js';

/**
 * Attaches and detaches of one server run one at a time, until the driver says its request
 * was accepted (the options' `releaseServer`, see `serverRelease` in driver-kit) or, for a
 * driver that never does, until the call ends. A driver that batches attaches orders them
 * per server itself: the lock would keep them apart, so it is not taken.
 */
export class ServerLockPolicy {
  readonly #mutex: KeyedMutex;
  readonly #driverOrders: boolean;

  /** `mutex` is shared so that two handles of one platform still serialize attaches. */
  constructor(mutex: KeyedMutex, driverOrdersAttaches: boolean) {
    this.#mutex = mutex;
    this.#driverOrders = driverOrdersAttaches;
  }

  /** Runs `task` holding the lock of `serverId`; its options carry the lock's release. */
  run<T, O extends CallOptions>(
    serverId: string,
    options: O | undefined,
    task: (options: O | undefined) => Promise<T>,
  ): Promise<T> {
    return this.#driverOrders ? task(options) : withServerLock(this.#mutex, serverId, options, task);
  }
}
