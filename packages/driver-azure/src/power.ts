import {
  BrokerError,
  isBrokerError,
  type PowerOperation,
  type RebootServerRequest,
  type Server,
  type StopServerRequest,
} from '@hybrid-broker/core';
import { type ResolvedCallOptions, type ResolvedWaitOptions, runPower } from '@hybrid-broker/core/driver-kit';
import type { ArmAccess } from './arm-access.js';
import type { ResolvedRef } from './arm-ids.js';
import { toAzureError } from './azure-errors.js';
import { pollDeadline } from './poll-deadline.js';
import { toServer } from './resource-state.js';

/** Any power request: the VM, and the options of a stop or a reboot. */
export type ArmPowerRequest = RebootServerRequest & StopServerRequest;

/** The VM action of a call: `deallocate` is Azure's stop that also frees the compute. */
function actionOf(operation: PowerOperation, request: ArmPowerRequest) {
  if (operation === 'startServer') return 'start';
  if (operation === 'rebootServer') return 'restart';
  return request.deallocate === true ? 'deallocate' : 'powerOff';
}

// An operation under way (a start, an update of the data disks) shows as provisioning state `Updating`.
function busy(server: Server): string | undefined {
  const provisioning = server.providerStatus.split(' ')[0];
  return provisioning === 'Updating' || provisioning === 'Creating' ? provisioning : undefined;
}

/**
 * A power call on ARM (`start`, `powerOff` or `deallocate`, `restart`: each an LRO) through
 * core's engine. The change holds once its operation succeeded and the instance view shows
 * the power state; a restart has no power state of its own, so its operation's end is what
 * is waited for. ARM's 409 (another operation on the VM) is waited out.
 */
export function powerOnArm(
  arm: ArmAccess,
  operation: PowerOperation,
  request: ArmPowerRequest,
  call: ResolvedCallOptions,
): Promise<Server> {
  const vm = arm.vmRef(request.serverId);
  const action = actionOf(operation, request);
  return runPower(
    operation,
    {
      read: async () => toServer(await arm.readVm(vm, call.signal, true)),
      busy,
      // A repeated restart reboots twice: only start and stop are retried after a lost response.
      send: () =>
        arm.retry(operation, call.signal, action !== 'restart', () => sendAction(arm, vm, action, call)),
      isBusy: (error) => isBrokerError(error, 'conflict', 'invalid-state') && error.statusCode === 409,
      wait: async (description, check) => {
        const wait = {
          description,
          // The engine waits only when the call waits.
          options: call.wait as ResolvedWaitOptions,
          signal: call.signal,
          operation,
        };
        try {
          return (await arm.waitServer(vm, wait, check)).server;
        } catch (error) {
          throw withServerState(error);
        }
      },
    },
    call,
  );
}

/** Sends the action; with a wait, follows its LRO to the end (bounded by the wait's timeout). */
async function sendAction(
  arm: ArmAccess,
  vm: ResolvedRef,
  action: 'start' | 'powerOff' | 'deallocate' | 'restart',
  call: ResolvedCallOptions,
): Promise<void> {
  const deadline = pollDeadline(call);
  const poller = arm.clients.compute.virtualMachines[action](vm.resourceGroup, vm.name, {
    updateIntervalInMs: arm.config.pollIntervalMs,
    abortSignal: call.signal,
  });
  try {
    if (call.wait === false) await poller.submitted();
    else await poller.pollUntilDone({ abortSignal: deadline.signal });
  } catch (error) {
    throw deadline.mapError(
      toAzureError(error, `${action} of VM ${vm.name}`),
      `the ${action} of VM ${vm.name}`,
    );
  }
}

/** A wait's error with the server as its last state (the wait reads the VM and the server both). */
function withServerState(error: unknown): unknown {
  if (!isBrokerError(error)) return error;
  const last = error.lastState as { readonly server?: Server } | undefined;
  if (last?.server === undefined) return error;
  return new BrokerError(error.code, error.message, { ...error.details(), lastState: last.server });
}
