import { restorePoller, type VirtualMachine } from '@azure/arm-compute';
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
        // the state right after ARM accepted the update: a poll that fails restarts from it
        const accepted = await poller.serialize();
        const again = () =>
          restorePoller(compute, accepted, compute.virtualMachines.update, {
            updateIntervalInMs: arm.config.pollIntervalMs,
            abortSignal: signal,
          });
        return () => finishUpdate(arm, [poller, again], signal, what);
      }),
  };
  return new DiskChangeBatcher(transport, arm.context.services.clock, windowMs);
}

/** What finishUpdate needs of the SDK's poller of one VM update. */
interface UpdatePoller {
  pollUntilDone(options: { abortSignal: AbortSignal | undefined }): Promise<VirtualMachine>;
}

/**
 * Waits for an accepted VM update to end. The first poll of the operation comes one poll
 * interval after ARM accepted it, not at once: the SDK's poller polls right away, and an
 * attach or detach takes seconds, so that poll only ever says InProgress (the failover
 * bench: one wasted read per update, queued in the 25/s read budget). A poll that fails
 * on its own (throttled, 5xx, a dropped connection) is polled again under the platform's
 * retry policy, by a poller restored from the state ARM accepted (the SDK's poller takes a
 * failed poll for the operation's failure and keeps it); before, one throttled poll failed
 * every caller of the batch. The operation's own failure still ends it.
 */
async function finishUpdate(
  arm: ArmAccess,
  [first, restored]: readonly [UpdatePoller, () => UpdatePoller],
  signal: AbortSignal | undefined,
  what: string,
): Promise<VirtualMachine> {
  const firstPollMs = arm.config.pollIntervalMs;
  if (firstPollMs > 0) await arm.context.services.clock.sleep(firstPollMs, signal);
  let poller: UpdatePoller | undefined;
  return arm.retry('updateDataDisks', signal, true, async () => {
    poller = poller === undefined ? first : restored();
    try {
      return await poller.pollUntilDone({ abortSignal: signal });
    } catch (error) {
      throw toAzureError(error, what);
    }
  });
}
