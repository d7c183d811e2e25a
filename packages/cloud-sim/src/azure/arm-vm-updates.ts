/**
 * Accepted updates (PATCH, or PUT of an existing VM) per VM, so a benchmark
 * can tell how many VM updates its attaches took: Compute runs one update of
 * a VM at a time, which is what batching attaches saves.
 */
export class VmUpdateCounts {
  readonly #counts = new Map<string, number>();

  /** Counts one accepted update of the VM `vmId` (ARM ids compare case-insensitively). */
  record(vmId: string): void {
    const key = vmId.toLowerCase();
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** Updates of one VM (0 when none). */
  of(vmId: string): number {
    return this.#counts.get(vmId.toLowerCase()) ?? 0;
  }

  /** Updates per VM id (lower-cased), for every VM updated at least once. */
  perVm(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** The most updates any one VM took. */
  max(): number {
    return Math.max(0, ...this.#counts.values());
  }

  /** Updates over all VMs. */
  total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }

  /** Forgets every count. */
  reset(): void {
    this.#counts.clear();
  }
}
