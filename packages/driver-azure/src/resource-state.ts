import type { Disk, VirtualMachine } from '@azure/arm-compute';
import type { NetworkInterface } from '@azure/arm-network';
import type {
  Server,
  ServerAddress,
  ServerStatus,
  Volume,
  VolumeAttachment,
  VolumeStatus,
} from '@hybrid-broker/core';
import { armPowerOf } from './power-state.js';

/** The tag a create's idempotency key is kept in. */
export const IDEMPOTENCY_TAG = 'hybrid-broker-idempotency-key';

/** `PowerState/running` etc. from the instance view, if it was read. */
export function powerStateOf(vm: VirtualMachine): string | undefined {
  return vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code;
}

/** Why a VM failed, from the instance view's error-level statuses. */
export function faultOf(vm: VirtualMachine): string | undefined {
  const failed = vm.instanceView?.statuses?.find(
    (s) => s.level === 'Error' || s.code?.startsWith('ProvisioningState/failed'),
  );
  if (!failed) return undefined;
  return [failed.code, failed.message ?? failed.displayStatus].filter(Boolean).join(': ');
}

/** Maps ARM's provisioning state and the power state to one normalized status. */
export function serverStatusOf(
  provisioningState: string | undefined,
  powerState: string | undefined,
): ServerStatus {
  const provisioning = (provisioningState ?? '').toLowerCase();
  if (provisioning === 'failed') return 'error';
  if (provisioning === 'deleting') return 'deleting';
  if (provisioning === 'creating') return 'building';
  switch (powerState) {
    case 'PowerState/running':
      return 'running';
    case 'PowerState/starting':
      return 'building';
    case 'PowerState/stopping':
    case 'PowerState/stopped':
    case 'PowerState/deallocating':
    case 'PowerState/deallocated':
      return 'stopped';
    default:
      // Succeeded without an instance view: provisioned, power state unknown
      return provisioning === 'succeeded' || provisioning === 'updating' ? 'unknown' : 'building';
  }
}

/** The image a VM was made from, as the request names it (URN or id). */
function imageOf(vm: VirtualMachine): string | undefined {
  const ref = vm.storageProfile?.imageReference;
  if (!ref) return undefined;
  if (ref.id) return ref.id;
  if (ref.publisher && ref.offer && ref.sku)
    return `${ref.publisher}:${ref.offer}:${ref.sku}:${ref.version ?? 'latest'}`;
  return undefined;
}

/** The host id of a member VM: its availability set and fault domain (a fault domain is a rack). */
function hostIdOf(vm: VirtualMachine): string | undefined {
  const fd = vm.instanceView?.platformFaultDomain;
  const set = vm.availabilitySet?.id;
  return fd === undefined || set === undefined ? undefined : `${set.toLowerCase()}/faultdomain/${fd}`;
}

/** A VM as a normalized Server; `id` is the ARM id, which every call accepts back. */
export function toServer(vm: VirtualMachine): Server {
  const power = powerStateOf(vm);
  const provisioning = vm.provisioningState ?? 'Unknown';
  const fault = faultOf(vm);
  const image = imageOf(vm);
  const zone = vm.zones?.[0];
  const id = vm.id ?? '';
  const host = hostIdOf(vm);
  return {
    id,
    providerId: vm.vmId ?? id,
    name: vm.name ?? '',
    status: serverStatusOf(vm.provisioningState, power),
    providerStatus: power === undefined ? provisioning : `${provisioning} ${power}`,
    ...(zone === undefined ? {} : { availabilityZone: zone }),
    ...(vm.location === undefined ? {} : { region: locationName(vm.location) }),
    ...(image === undefined ? {} : { image }),
    ...(vm.hardwareProfile?.vmSize === undefined ? {} : { flavor: vm.hardwareProfile.vmSize }),
    addresses: [],
    metadata: { ...vm.tags },
    ...(fault === undefined ? {} : { fault }),
    ...(vm.timeCreated === undefined ? {} : { createdAt: new Date(vm.timeCreated).toISOString() }),
    ...(host === undefined ? {} : { hostId: host }),
    ...armPowerOf(power),
  };
}

/**
 * A location as ARM names it (`westus`), whichever form a body used: VMs may come back with
 * the display name ("West US") where disks say `westus`, and regions must compare equal.
 */
export function locationName(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}

/** Maps a managed disk's state (and a failed provisioning) to a normalized volume status. */
export function volumeStatusOf(
  diskState: string | undefined,
  provisioningState: string | undefined,
): VolumeStatus {
  if ((provisioningState ?? '').toLowerCase() === 'failed') return 'error';
  switch (diskState) {
    case 'Unattached':
      return 'available';
    case 'Attached':
    case 'Reserved': // attached to a deallocated VM: still taken
      return 'in-use';
    default:
      // ActiveSAS, ReadyToUpload, ActiveUpload, Frozen...: exported or uploading, not attachable
      return (provisioningState ?? '').toLowerCase() === 'creating' ? 'creating' : 'unknown';
  }
}

/** A managed disk as a normalized Volume. */
export function toVolume(disk: Disk): Volume {
  const id = disk.id ?? '';
  const failed = (disk.provisioningState ?? '').toLowerCase() === 'failed';
  const owners = disk.shareInfo?.length
    ? disk.shareInfo.map((s) => s.vmUri).filter((u): u is string => u !== undefined)
    : disk.managedBy === undefined || disk.managedBy === ''
      ? []
      : [disk.managedBy];
  const attachments: VolumeAttachment[] = owners.map((serverId) => ({
    serverId,
    volumeId: id,
    state: 'attached',
    ...(disk.diskState === undefined ? {} : { providerState: disk.diskState }),
  }));
  const zone = disk.zones?.[0];
  return {
    id,
    providerId: disk.uniqueId ?? id,
    // a disk createVolume made is named by its key; the caller's name is its Name tag
    ...(disk.name === undefined && disk.tags?.Name === undefined
      ? {}
      : { name: disk.tags?.Name ?? disk.name }),
    // Disk_Get.json's own shape: `managedBy` set and no `diskState` at all; the owner says in-use.
    status:
      disk.diskState === undefined && owners.length > 0 && !failed
        ? 'in-use'
        : volumeStatusOf(disk.diskState, disk.provisioningState),
    providerStatus: failed
      ? `Failed ${disk.diskState ?? ''}`.trim()
      : (disk.diskState ?? disk.provisioningState ?? 'Unknown'),
    sizeGiB: disk.diskSizeGB ?? 0,
    ...(zone === undefined ? {} : { availabilityZone: zone }),
    ...(disk.location === undefined ? {} : { region: locationName(disk.location) }),
    multiAttach: (disk.maxShares ?? 1) > 1,
    attachments,
    ...(disk.tags === undefined ? {} : { metadata: { ...disk.tags } }),
  };
}

/**
 * The private addresses of a NIC, one per IP configuration that has one, named by the
 * configuration's subnet (else the NIC). Public IPs are separate resources and not read.
 */
export function addressesOfNic(nic: NetworkInterface): ServerAddress[] {
  const out: ServerAddress[] = [];
  for (const config of nic.ipConfigurations ?? []) {
    // Some bodies write the address with its prefix length (`10.0.0.4/28`); an address has none.
    const address = config.privateIPAddress?.split('/')[0];
    if (!address) continue;
    const network = config.subnet?.id?.split('/').pop() || nic.name || 'nic';
    out.push({ network, address, version: config.privateIPAddressVersion === 'IPv6' ? 6 : 4, type: 'fixed' });
  }
  return out;
}
