import type { ArmChange, ArmCloud } from './arm-cloud.js';
import { ArmError } from './arm-model.js';

/** The VM actions the emulation answers: `POST .../virtualMachines/{name}/{action}`. */
export type VmPowerAction = 'start' | 'powerOff' | 'deallocate' | 'restart';

/** What each action shows while it runs, and where it ends. A restart shows no power state of its own. */
const ACTIONS: Readonly<Record<VmPowerAction, { readonly during: string; readonly done: string }>> = {
  start: { during: 'PowerState/starting', done: 'PowerState/running' },
  powerOff: { during: 'PowerState/stopping', done: 'PowerState/stopped' },
  deallocate: { during: 'PowerState/deallocating', done: 'PowerState/deallocated' },
  restart: { during: 'PowerState/running', done: 'PowerState/running' },
};

const STOPPED = ['PowerState/stopped', 'PowerState/deallocated'];

/**
 * VirtualMachines_Start / PowerOff / Deallocate / Restart: an LRO (202 with
 * Azure-AsyncOperation) that shows `Updating` and the transitional power state, and lands
 * after `powerMs`. A start of a running VM or a stop of a stopped one is accepted and
 * changes nothing, as on Azure; a restart of a VM that is not running, and any action while
 * another operation runs on the VM, is 409 OperationNotAllowed.
 */
export function powerVm(
  cloud: ArmCloud,
  resourceGroup: string,
  name: string,
  action: VmPowerAction,
): ArmChange {
  const vm = cloud.vm(resourceGroup, name);
  if (vm.provisioningState !== 'Succeeded') {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Operation '${action}' is not allowed on VM '${name}' since the VM is ${vm.provisioningState.toLowerCase()}: another operation is in progress.`,
    );
  }
  if (action === 'restart' && vm.power !== 'PowerState/running') {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Operation 'restart' is not allowed on VM '${name}' since the VM is not running (${vm.power}).`,
    );
  }
  const { during, done } = ACTIONS[action];
  const already =
    (action === 'start' && vm.power === done) ||
    (action === 'powerOff' && STOPPED.includes(vm.power)) ||
    (action === 'deallocate' && vm.power === done);
  if (!already) {
    vm.provisioningState = 'Updating';
    vm.power = during;
  }
  const since = Date.now();
  const operationId = cloud.operations.start(already ? 0 : cloud.timings.powerMs, () => {
    if (!already) {
      vm.provisioningState = 'Succeeded';
      vm.power = done;
      cloud.changes.record(vm.id, done, Date.now(), since);
    }
    return undefined;
  });
  return { status: 202, body: undefined, operationId };
}
