import type { DataDisk, VirtualMachine } from '@azure/arm-compute';
import type { ResolvedRef } from './arm-ids.js';
import type { DataDiskEdit } from './data-disks.js';

/** One caller's change of a VM's data disks, waiting to go out in a batch. */
export interface DiskChange {
  readonly kind: 'attach' | 'detach';
  /** Applied to the VM's current list: the new list, undefined for nothing to change; throws the caller's own refusal. */
  readonly edit: DataDiskEdit;
  /** False: the caller is answered once ARM accepted the update, not when it finished. */
  readonly waitForUpdate: boolean;
  /** The caller's signal (its deadline included): an abort before the update is sent drops the change. */
  readonly signal: AbortSignal | undefined;
  /** When the caller's call must end (the batcher's clock time), if it has a deadline: the batch ends by the last one. */
  readonly deadline?: number | undefined;
  /**
   * The VM as the caller's precheck read it, and when (the batcher's clock) that read began:
   * the batch's first try may send on it instead of reading the VM again (see #current).
   */
  readonly seen?: { readonly vm: VirtualMachine; readonly at: number } | undefined;
}

/**
 * What one batch needs of ARM: read the VM, then send its new data-disk list
 * with `If-Match`. `send` resolves once ARM accepted the update and returns
 * the wait for its end, so callers that do not wait are answered at once.
 * The wait may resolve with no VM (the driver's does: it reads none after the end).
 */
export interface BatchTransport {
  read(vm: ResolvedRef, signal: AbortSignal | undefined): Promise<VirtualMachine>;
  send(
    vm: ResolvedRef,
    current: VirtualMachine,
    disks: DataDisk[],
    signal: AbortSignal | undefined,
  ): Promise<() => Promise<VirtualMachine | undefined>>;
}
