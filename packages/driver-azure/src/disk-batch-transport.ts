import { restorePoller } from '@azure/arm-compute';
import type { ResolvedRef } from './arm-ids.js';
import { toAzureError } from './azure-errors.js';
import type { DiskBatchArm } from './disk-batch-arm.js';
import { type BatchTransport, DiskChangeBatcher } from './disk-change-batcher.js';
import { UpdateEnd } from './update-end.js';

/**
 * The batcher over this driver's SDK client: the VM read and the
 * `If-Match` PATCH of its data disks, each under the platform's retry
 * policy (a PATCH guarded by the ETag read is safe to repeat: a stale one is 412).
 */
export function createDiskBatcher(arm: DiskBatchArm, windowMs: number): DiskChangeBatcher {
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
        // the state right after ARM accepted the update: every poll runs on a poller restored from
        // it (a poll that fails restarts from it), which skips the final GET of the VM
        const accepted = withoutFinalGet(await poller.serialize());
        const restored = () =>
          restorePoller(compute, accepted, compute.virtualMachines.update, {
            updateIntervalInMs: arm.config.pollIntervalMs,
            abortSignal: signal,
          });
        return () => finishUpdate(arm, vm, restored, signal, what);
      }),
  };
  return new DiskChangeBatcher(transport, arm.context.services.clock, windowMs);
}

/** What finishUpdate needs of the SDK's poller of one VM update. */
interface UpdatePoller {
  readonly isDone: boolean;
  poll(options: { abortSignal: AbortSignal | undefined }): Promise<unknown>;
  pollUntilDone(options: { abortSignal: AbortSignal | undefined }): Promise<unknown>;
}

/**
 * A serialized poller state without its final GET: once the operation says Succeeded, the SDK
 * reads the VM once more (for a PATCH, its resource location), a request per update that no
 * caller needs. The operation's status is the update's outcome (its Failed still throws); the
 * attach or detach is then confirmed from the disk's side (volume-attachments.ts), where a stuck
 * detach shows (a VM update can succeed with the disk still held); the LUN is the one the edit chose.
 */
export function withoutFinalGet(serialized: string): string {
  const parsed = JSON.parse(serialized) as { state?: { config?: Record<string, unknown> } };
  if (parsed.state?.config !== undefined) delete parsed.state.config.resourceLocation;
  return JSON.stringify(parsed);
}

/**
 * Waits for an accepted VM update to end. Each poll of the operation comes one poll interval
 * after the last (the first one interval after ARM accepted it: an attach or detach takes
 * seconds, so an immediate poll only ever says InProgress), or sooner, as soon as the VM list
 * that the updates of one resource group share shows the VM no longer `Updating`: with many
 * updates under way (a failover), one list per tick replaces one poll per VM per interval as
 * the way to notice the end, and the operation's poll then says how it ended. A poll that
 * fails on its own (throttled, 5xx, a dropped connection) is polled again under the
 * platform's retry policy, by a poller restored afresh from the state ARM accepted (the SDK's
 * poller takes a failed poll for the operation's failure and keeps it). The operation's own
 * failure still ends it. With coalescing off it is the SDK's own loop after the first interval.
 * Resolves with no VM: the update's end is the operation's status, not a read of the VM.
 */
async function finishUpdate(
  arm: DiskBatchArm,
  vm: ResolvedRef,
  restored: () => UpdatePoller,
  signal: AbortSignal | undefined,
  what: string,
): Promise<undefined> {
  const clock = arm.context.services.clock;
  const intervalMs = arm.config.pollIntervalMs;
  const watch = arm.vmPolls.watch(vm.resourceGroup, vm.id);
  const updateEnd = watch ? new UpdateEnd(watch, clock) : undefined;
  const nextPoll = () => (updateEnd ? updateEnd.next(intervalMs, signal) : clock.sleep(intervalMs, signal));
  try {
    if (intervalMs > 0) await nextPoll();
    await arm.retry('updateDataDisks', signal, true, async () => {
      const poller = restored();
      try {
        if (updateEnd) {
          await poller.poll({ abortSignal: signal });
          while (!poller.isDone) {
            await nextPoll();
            await poller.poll({ abortSignal: signal });
          }
        }
        // Done: its failure, if any, without a request; else the SDK's own loop.
        await poller.pollUntilDone({ abortSignal: signal });
      } catch (error) {
        throw toAzureError(error, what);
      }
    });
  } finally {
    updateEnd?.close();
  }
  // No VM: the final GET that would read it is skipped (see withoutFinalGet).
  return undefined;
}
