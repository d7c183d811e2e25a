import { RouteCounters } from '../counters.js';

/**
 * Accepted updates (PATCH, or PUT of an existing VM) per VM, so a benchmark
 * can tell how many VM updates its attaches took: Compute runs one update of
 * a VM at a time, which is what batching attaches saves. Counted as
 * RouteCounters count routes, keyed by the lower-cased VM id.
 */
export class VmUpdateCounts {
  readonly #counts = new RouteCounters();

  /** Counts one accepted update of the VM `vmId` (ARM ids compare case-insensitively). */
  record(vmId: string): void {
    this.#counts.increment(vmId.toLowerCase());
  }

  /** Updates of one VM (0 when none). */
  of(vmId: string): number {
    return this.#counts.get(vmId.toLowerCase());
  }

  /** Updates per VM id (lower-cased), for every VM updated at least once. */
  perVm(): Record<string, number> {
    return this.#counts.snapshot();
  }

  /** The most updates any one VM took. */
  max(): number {
    return Math.max(0, ...Object.values(this.#counts.snapshot()));
  }

  /** Updates over all VMs. */
  total(): number {
    return this.#counts.total();
  }

  /** Forgets every count. */
  reset(): void {
    this.#counts.reset();
  }
}
