import type { DeleteServerResult, ServerRef } from '@hybrid-broker/core';
import type { ResolvedCallOptions } from '@hybrid-broker/core/driver-kit';
import type { ArmAccess } from './arm-access.js';
import { toAzureError } from './azure-errors.js';
import { pollDeadline } from './poll-deadline.js';

/**
 * ARM's VM delete, then a wait until a read answers 404. A VM already gone is
 * `{ deleted: false }`; with `wait: false` only the submission is awaited.
 */
export async function deleteVm(
  arm: ArmAccess,
  request: ServerRef,
  call: ResolvedCallOptions,
): Promise<DeleteServerResult> {
  const vm = arm.vmRef(request.serverId);
  if (!(await arm.findVm(vm, call.signal))) return { serverId: request.serverId, deleted: false };
  const deadline = pollDeadline(call);
  await arm.retry('deleteServer', call.signal, true, async () => {
    const poller = arm.clients.compute.virtualMachines.delete(vm.resourceGroup, vm.name, {
      updateIntervalInMs: arm.config.pollIntervalMs,
      abortSignal: call.signal,
    });
    try {
      if (call.wait === false) await poller.submitted();
      else await poller.pollUntilDone({ abortSignal: deadline.signal });
    } catch (error) {
      throw deadline.mapError(toAzureError(error, `deleting VM ${vm.name}`), `VM ${vm.name} to be deleted`);
    }
  });
  if (call.wait !== false) {
    await arm.waitGone(vm, {
      description: `VM ${vm.name} to be deleted`,
      options: call.wait,
      signal: call.signal,
      operation: 'delete',
    });
  }
  return { serverId: request.serverId, deleted: true };
}
