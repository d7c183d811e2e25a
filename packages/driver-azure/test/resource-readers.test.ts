import type { Disk, VirtualMachine } from '@azure/arm-compute';
import type { NetworkInterface } from '@azure/arm-network';
import { describe, expect, it } from 'vitest';
import { addressesOfNic, toServer, toVolume } from '../src/resource-state.js';

const SUB = '/subscriptions/123caaa-123v-v211-a49f-f88ccac5bf88/resourceGroups/ResourceGroupName';

describe('Azure bodies read as the providers publish them', () => {
  it('a disk with managedBy and no diskState (the published Disk_Get.json) is in-use, held by its VM', () => {
    // Disk_Get.json (Microsoft.Compute disks, 2023-04-02 examples), as the SDK deserializes it.
    const disk: Disk = {
      name: 'myManagedDisk',
      id: `${SUB}/providers/Microsoft.Compute/disks/myManagedDisk`,
      managedBy: `${SUB}/providers/Microsoft.Compute/virtualMachines/TestVM414689371c88843d5`,
      location: 'westus',
      tags: { department: 'Development', project: 'ManagedDisks' },
      osType: 'Windows',
      creationData: { createOption: 'Empty' },
      diskSizeGB: 10,
      encryption: { type: 'EncryptionAtRestWithPlatformKey' },
      provisioningState: 'Succeeded',
    };
    const volume = toVolume(disk);
    // Before: unknown.
    expect(volume.status).toBe('in-use');
    expect(volume.attachments.map((a) => a.serverId)).toEqual([disk.managedBy]);
    expect(volume.region).toBe('westus');
  });

  it('Server.region is the ARM location name (westus), not the display name ("West US")', () => {
    const vm = {
      id: `${SUB}/providers/Microsoft.Compute/virtualMachines/vm1`,
      name: 'vm1',
      location: 'West US',
    };
    expect(toServer(vm as VirtualMachine).region).toBe('westus');
  });

  it('a NIC address is written without its prefix length (/28)', () => {
    const nic = {
      name: 'nic1',
      ipConfigurations: [
        {
          name: 'ipconfig1',
          privateIPAddress: '10.0.0.4/28',
          privateIPAddressVersion: 'IPv4',
          subnet: { id: `${SUB}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default` },
        },
      ],
    };
    expect(addressesOfNic(nic as unknown as NetworkInterface)).toEqual([
      { network: 'default', address: '10.0.0.4', version: 4, type: 'fixed' },
    ]);
  });
});
