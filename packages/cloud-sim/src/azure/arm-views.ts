import type { DiskRecord, Json, NicRecord, OperationRecord, VmRecord } from './arm-model.js';

/**
 * A VM as VirtualMachines_Get returns it (documented example "Get a Virtual
 * Machine"), with the instance view when `$expand=instanceView` was asked.
 */
export function vmView(vm: VmRecord, instanceView: boolean): Json {
  const storageProfile = {
    ...((vm.properties.storageProfile as Json | undefined) ?? {}),
    dataDisks: vm.dataDisks,
  };
  return {
    name: vm.name,
    id: vm.id,
    type: 'Microsoft.Compute/virtualMachines',
    location: vm.location,
    ...(vm.zones ? { zones: vm.zones } : {}),
    tags: vm.tags,
    etag: `"${vm.etag}"`,
    properties: {
      ...vm.properties,
      vmId: vm.vmId,
      storageProfile,
      provisioningState: vm.provisioningState,
      timeCreated: vm.timeCreated,
      ...(instanceView ? { instanceView: instanceViewOf(vm) } : {}),
    },
  };
}

/** VirtualMachines_InstanceView: the provisioning and power statuses. */
export function instanceViewOf(vm: VmRecord): Json {
  const failed = vm.provisioningState === 'Failed' && vm.failure;
  const provisioning = failed
    ? {
        code: `ProvisioningState/failed/${vm.failure?.code}`,
        level: 'Error',
        displayStatus: 'Provisioning failed',
        message: vm.failure?.message,
      }
    : {
        code: `ProvisioningState/${vm.provisioningState.toLowerCase()}`,
        level: 'Info',
        displayStatus: `Provisioning ${vm.provisioningState.toLowerCase()}`,
      };
  return {
    ...(vm.faultDomain === undefined
      ? {}
      : { platformUpdateDomain: vm.updateDomain, platformFaultDomain: vm.faultDomain }),
    computerName: vm.name,
    osName: 'ubuntu',
    statuses: [
      { ...provisioning, time: new Date().toISOString() },
      { code: vm.power, level: 'Info', displayStatus: vm.power.replace('PowerState/', 'VM ') },
    ],
  };
}

/** A managed disk as Disks_Get returns it (documented example "Get information about a managed disk"). */
export function diskView(disk: DiskRecord): Json {
  return {
    name: disk.name,
    id: disk.id,
    type: 'Microsoft.Compute/disks',
    location: disk.location,
    ...(disk.zones ? { zones: disk.zones } : {}),
    ...(disk.managedBy === undefined ? {} : { managedBy: disk.managedBy }),
    ...(disk.tags === undefined ? {} : { tags: disk.tags }),
    sku: { name: disk.sku, tier: disk.sku.startsWith('Premium') ? 'Premium' : 'Standard' },
    properties: {
      osType: undefined,
      creationData: { createOption: 'Empty' },
      diskSizeGB: disk.sizeGiB,
      diskSizeBytes: disk.sizeGiB * 1024 ** 3,
      uniqueId: disk.uniqueId,
      provisioningState: disk.provisioningState,
      diskState: disk.managedBy === undefined ? 'Unattached' : 'Attached',
      timeCreated: disk.timeCreated,
      encryption: { type: 'EncryptionAtRestWithPlatformKey' },
    },
  };
}

/** A NIC as NetworkInterfaces_Get returns it. */
export function nicView(nic: NicRecord): Json {
  return {
    name: nic.name,
    id: nic.id,
    type: 'Microsoft.Network/networkInterfaces',
    location: nic.location,
    tags: nic.tags,
    properties: {
      provisioningState: 'Succeeded',
      ipConfigurations: [
        {
          name: 'ipconfig1',
          id: `${nic.id}/ipConfigurations/ipconfig1`,
          properties: {
            provisioningState: 'Succeeded',
            privateIPAddress: nic.privateIp,
            privateIPAllocationMethod: 'Dynamic',
            subnet: { id: nic.subnetId },
            primary: true,
          },
        },
      ],
      ...(nic.virtualMachine === undefined ? {} : { virtualMachine: { id: nic.virtualMachine } }),
    },
  };
}

/** The body of an `Azure-AsyncOperation` status URL. */
export function operationView(op: OperationRecord): Json {
  return {
    name: op.id,
    startTime: op.startTime,
    status: op.status,
    ...(op.endTime === undefined ? {} : { endTime: op.endTime }),
    ...(op.error === undefined ? {} : { error: op.error }),
  };
}
