import type { ArmAccess } from './arm-access.js';
import { toAzureError } from './azure-errors.js';
import { type BatchTransport, DiskChangeBatcher } from './disk-change-batcher.js';

/**
 * The batcher over this driver's SDK client: the VM read and the
 * `If-Match` PATCH of its data disks, each under the platform's retry
 * policy (a PATCH guarded by the ETag read is safe to repeat: a stale one is 412).
 */
export function createDiskBatcher(arm: ArmAccess, windowMs: number): DiskChangeBatcher {
  const compute = arm.clients.compute;
  const transport: BatchTransport = {
    // fresh: the ETag must be read after the last update of this VM, not joined to an older read
    read: (vm, signal) => arm.readVm(vm, signal, false, true),
    send: (vm, current, disks, signal) =>
      arm.retry('updateDataDisks', signal, true, async () => {
        const what = `updating the data disks of VM ${vm.name}`;
        const poller = compute.virtualMachines.update(
          vm.resourceGroup,
          vm.name,
          { storageProfile: { dataDisks: disks } },
          {
            // no etag (older API versions): the batcher's one update per VM at a time is the guard
            ...(current.etag === undefined ? {} : { ifMatch: current.etag }),
            updateIntervalInMs: arm.config.pollIntervalMs,
            abortSignal: signal,
          },
        );
        try {
          await poller.submitted();
        } catch (error) {
          throw toAzureError(error, what);
        }
        return async () => {
          try {
            return await poller.pollUntilDone({ abortSignal: signal });
          } catch (error) {
            throw toAzureError(error, what);
          }
        };
      }),
  };
  return new DiskChangeBatcher(transport, arm.context.services.clock, windowMs);
}
