import type { PlatformScale, PollCoalescer, PollWatch } from '@hybrid-broker/core/driver-kit';
import { toAzureError } from './azure-errors.js';

/** How one kind of resource is read for group polls: the group's list (every page) and one by id. */
export interface GroupReads<R, V> {
  /** For errors: "disks", "VMs". */
  readonly kind: string;
  readonly list: (resourceGroup: string, signal: AbortSignal) => AsyncIterable<R>;
  readonly toValue: (listed: R) => V;
  readonly readOne: (id: string, signal: AbortSignal | undefined) => Promise<V>;
}

/**
 * Coalesced reads of one kind of resource, one coalescer per resource group:
 * the concurrent waiters of one group share one list of the group's resources
 * of that kind per tick, and each takes its own from it. A resource the list
 * lacks is read on its own before it is called gone (the coalescer's rule).
 * Disk waits and prechecks use it for managed disks; VM data-disk updates use
 * it for VMs, to see when ARM no longer has a VM `Updating` (the list carries
 * no instance view, so VM waits for a power state keep their own GET).
 */
export class ArmGroupPolls<R extends { readonly id?: string | undefined }, V> {
  readonly #groups = new Map<string, PollCoalescer<V> | undefined>();
  readonly #scale: PlatformScale;
  readonly #reads: GroupReads<R, V>;

  constructor(scale: PlatformScale, reads: GroupReads<R, V>) {
    this.#scale = scale;
    this.#reads = reads;
  }

  /** A waiter of the resource `id` in `resourceGroup`; undefined when coalescing is off. Close it when done. */
  watch(resourceGroup: string, id: string): PollWatch<V> | undefined {
    const key = resourceGroup.toLowerCase();
    if (!this.#groups.has(key)) {
      this.#groups.set(
        key,
        this.#scale.coalescer<V>({
          readMany: (ids, signal) => this.#list(resourceGroup, ids, signal),
          readOne: this.#reads.readOne,
          // one list answers for the whole group, however many wait
          maxBatch: Number.MAX_SAFE_INTEGER,
        }),
      );
    }
    return this.#groups.get(key)?.watch(id.toLowerCase());
  }

  async #list(resourceGroup: string, ids: readonly string[], signal: AbortSignal): Promise<Map<string, V>> {
    const wanted = new Set(ids);
    const found = new Map<string, V>();
    try {
      for await (const listed of this.#reads.list(resourceGroup, signal)) {
        const id = listed.id?.toLowerCase();
        if (id !== undefined && wanted.has(id)) found.set(id, this.#reads.toValue(listed));
      }
    } catch (error) {
      throw toAzureError(error, `listing ${this.#reads.kind} of ${resourceGroup}`);
    }
    return found;
  }
}
