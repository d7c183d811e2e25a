import type { VirtualMachine } from '@azure/arm-compute';
import type { DriverContext } from '@hybrid-broker/core';
import type { ArmGroupPolls } from './arm-group-polls.js';
import type { ResolvedRef } from './arm-ids.js';
import type { AzureClients } from './azure-clients.js';
import type { AzureDriverConfig } from './azure-config.js';

/**
 * What the disk batcher's transport uses of ArmAccess. ArmAccess builds the batcher, so the
 * transport names this narrow face instead of importing ArmAccess back (an import cycle).
 */
export interface DiskBatchArm {
  readonly config: AzureDriverConfig;
  readonly context: DriverContext;
  readonly clients: AzureClients;
  /** The shared VM list that tells a data-disk update's end (see UpdateEnd). */
  readonly vmPolls: ArmGroupPolls<VirtualMachine, VirtualMachine>;
  /** Reads a VM; `fresh` skips a shared read (an ETag must postdate the caller's own turn). */
  readVm(
    vm: ResolvedRef,
    signal: AbortSignal | undefined,
    instanceView: boolean,
    fresh?: boolean,
  ): Promise<VirtualMachine>;
  /** Runs `body` under the platform's retry policy. */
  retry<T>(
    operation: string,
    signal: AbortSignal | undefined,
    idempotent: boolean,
    body: () => Promise<T>,
  ): Promise<T>;
}
