import type { Disk } from '@azure/arm-compute';
import type { Volume } from '@hybrid-broker/core';
import type { PlatformScale, PollCoalescer } from '@hybrid-broker/core/driver-kit';
import type { AzureClients } from './azure-clients.js';
import { toAzureError } from './azure-errors.js';
import { toVolume } from './resource-state.js';

/**
 * Coalesced polls of managed disks, one coalescer per resource group: the
 * concurrent waits of one group share one list of the group's disks per tick
 * (the SDK follows `nextLink` over every page), and each waiter takes its own
 * disk from it. A disk the list lacks is read on its own before it is called
 * gone (the coalescer's rule). VM waits keep their own GET: ARM's VM list
 * carries no instance view, so it cannot tell a running VM.
 */
export class ArmDiskPolls {
  readonly #groups = new Map<string, PollCoalescer<Volume> | undefined>();
  readonly #clients: AzureClients;
  readonly #scale: PlatformScale;
  readonly #readOne: (id: string, signal: AbortSignal | undefined) => Promise<Volume>;

  constructor(
    clients: AzureClients,
    scale: PlatformScale,
    readOne: (id: string, signal: AbortSignal | undefined) => Promise<Volume>,
  ) {
    this.#clients = clients;
    this.#scale = scale;
    this.#readOne = readOne;
  }

  /** The coalescer of `resourceGroup`'s disks; undefined when coalescing is off. */
  of(resourceGroup: string): PollCoalescer<Volume> | undefined {
    const key = resourceGroup.toLowerCase();
    if (!this.#groups.has(key)) {
      this.#groups.set(
        key,
        this.#scale.coalescer<Volume>({
          readMany: (ids, signal) => this.#list(resourceGroup, ids, signal),
          readOne: this.#readOne,
          // one list answers for the whole group, however many disks wait
          maxBatch: Number.MAX_SAFE_INTEGER,
        }),
      );
    }
    return this.#groups.get(key);
  }

  async #list(
    resourceGroup: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, Volume>> {
    const wanted = new Set(ids);
    const found = new Map<string, Volume>();
    try {
      for await (const disk of this.#clients.compute.disks.listByResourceGroup(resourceGroup, {
        abortSignal: signal,
      }) as AsyncIterable<Disk>) {
        const id = disk.id?.toLowerCase();
        if (id !== undefined && wanted.has(id)) found.set(id, toVolume(disk));
      }
    } catch (error) {
      throw toAzureError(error, `listing disks of ${resourceGroup}`);
    }
    return found;
  }
}
