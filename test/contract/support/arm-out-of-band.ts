import { powerVm } from '../../../packages/cloud-sim/src/azure/arm-power.js';
import type { ArmCloud } from '../../../packages/cloud-sim/src/azure/index.js';
import type { OutOfBandFixtures } from '../../../packages/testkit/src/index.js';

/** The resource group and name of an ARM id (`/subscriptions/…/resourceGroups/{rg}/…/{name}`). */
function groupAndName(id: string): { group: string; name: string } {
  const parts = id.split('/');
  const at = parts.findIndex((p) => p.toLowerCase() === 'resourcegroups');
  return { group: parts[at + 1] ?? '', name: parts[parts.length - 1] ?? '' };
}

/**
 * The watch cases' out-of-band changes on cloud-sim's ARM model, as its routes make them
 * (a VM update of the data disks, a power action, a VM delete), not through the driver.
 * A disk is deleted and a VM failed by the model's own hooks: the emulation has no disk
 * delete route, and ARM no call that fails a VM on purpose.
 */
export function armOutOfBand(cloud: ArmCloud): OutOfBandFixtures {
  const vmOf = (serverId: string) => {
    const { group, name } = groupAndName(serverId);
    return { group, name, vm: cloud.vm(group, name) };
  };
  const setDataDisks = (serverId: string, edit: (disks: Record<string, unknown>[]) => unknown[]) => {
    const { group, name, vm } = vmOf(serverId);
    const body = { properties: { storageProfile: { dataDisks: edit(vm.dataDisks) } } };
    cloud.patchVm(group, name, body, {}, undefined);
  };
  return {
    attach: async (serverId, volumeId) =>
      setDataDisks(serverId, (disks) => {
        const luns = new Set(disks.map((d) => d.lun));
        const lun = [...Array(64).keys()].find((n) => !luns.has(n));
        return [...disks, { lun, createOption: 'Attach', managedDisk: { id: volumeId } }];
      }),
    detach: async (serverId, volumeId) =>
      setDataDisks(serverId, (disks) =>
        disks.filter(
          (d) =>
            String((d.managedDisk as { id?: string } | undefined)?.id).toLowerCase() !==
            volumeId.toLowerCase(),
        ),
      ),
    deleteVolume: async (volumeId) => {
      const disk = cloud.disks.get(volumeId.toLowerCase());
      if (disk?.managedBy !== undefined) throw new Error(`disk ${volumeId} is attached`);
      cloud.disks.delete(volumeId.toLowerCase());
    },
    deleteServer: async (serverId) => {
      const { group, name } = vmOf(serverId);
      cloud.deleteVm(group, name, undefined);
    },
    stopServer: async (serverId) => {
      const { group, name } = vmOf(serverId);
      powerVm(cloud, group, name, 'powerOff');
    },
    failServer: async (serverId) => {
      vmOf(serverId).vm.provisioningState = 'Failed';
    },
  };
}
