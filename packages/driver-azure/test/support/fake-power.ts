/** What the fake's VM power actions read and change of a VM. */
export interface PoweredVm {
  readonly name: string;
  provisioningState: string;
  power: string;
}

/** `POST .../virtualMachines/{name}/{action}` of the power actions. */
export const VM_ACTION =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualMachines\/([^/?]+)\/(start|powerOff|deallocate|restart)$/i;

const DONE: Readonly<Record<string, readonly [string, string]>> = {
  start: ['PowerState/starting', 'PowerState/running'],
  poweroff: ['PowerState/stopping', 'PowerState/stopped'],
  deallocate: ['PowerState/deallocating', 'PowerState/deallocated'],
  restart: ['PowerState/running', 'PowerState/running'],
};

/**
 * The power state an action shows while it runs and where it ends, or ARM's 409 for a VM
 * busy with another operation or a restart of a VM that is not running.
 */
export function powerChange(
  vm: PoweredVm,
  action: string,
): { readonly during: string; readonly done: string } | { status: number; body: unknown } {
  const conflict = (message: string) => ({
    status: 409,
    body: { error: { code: 'OperationNotAllowed', message } },
  });
  if (vm.provisioningState !== 'Succeeded')
    return conflict(
      `Operation '${action}' is not allowed on VM '${vm.name}': another operation is in progress.`,
    );
  if (action.toLowerCase() === 'restart' && vm.power !== 'PowerState/running')
    return conflict(`Operation 'restart' is not allowed on VM '${vm.name}' since the VM is not running.`);
  const [during, done] = DONE[action.toLowerCase()] ?? ['PowerState/unknown', 'PowerState/unknown'];
  return { during, done };
}
