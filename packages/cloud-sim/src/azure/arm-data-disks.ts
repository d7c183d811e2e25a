import { ArmError, type DiskRecord, type Json, type VmRecord } from './arm-model.js';

/** The managed disk id of a data-disk entry, lower-cased (ARM ids compare case-insensitively). */
export function diskIdOf(entry: Json): string {
  return String((entry.managedDisk as Json | undefined)?.id ?? '').toLowerCase();
}

/**
 * Checks a VM's new data-disk list as Compute does: LUNs unique, every
 * attached disk exists, is not on another VM and is in the VM's zone.
 * Returns the disks that are new to the VM and those that left it.
 * `holderOf` names the VM that holds a disk: its `managedBy`, or a VM whose
 * update taking it is still running (Compute reserves the disk when it
 * accepts the update, so a second VM cannot take it in between).
 */
export function diffDataDisks(
  vm: VmRecord,
  wanted: Json[],
  findDisk: (id: string) => DiskRecord | undefined,
  holderOf: (disk: DiskRecord) => string | undefined = (disk) => disk.managedBy,
): { added: DiskRecord[]; removed: DiskRecord[] } {
  const luns = new Set<number>();
  for (const entry of wanted) {
    const lun = entry.lun;
    if (typeof lun !== 'number' || !Number.isInteger(lun) || lun < 0 || lun > 63) {
      throw new ArmError(400, 'InvalidParameter', `The value of parameter dataDisk.lun is invalid.`);
    }
    if (luns.has(lun)) {
      throw new ArmError(
        400,
        'InvalidParameter',
        `Two or more data disks are specified to be attached at the same LUN '${lun}'.`,
      );
    }
    luns.add(lun);
  }
  const before = new Set(vm.dataDisks.map(diskIdOf));
  const after = new Set(wanted.map(diskIdOf));
  const added: DiskRecord[] = [];
  for (const entry of wanted) {
    const id = diskIdOf(entry);
    if (before.has(id)) continue;
    const disk = findDisk(id);
    if (!disk)
      throw new ArmError(404, 'NotFound', `Disk ${String((entry.managedDisk as Json)?.id)} was not found.`);
    const holder = holderOf(disk);
    if (holder !== undefined && holder.toLowerCase() !== vm.id.toLowerCase()) {
      // Compute's words (as recorded in cloud-provider-azure's tests); the status is our assumption.
      throw new ArmError(
        409,
        'ConflictingUserInput',
        `Cannot attach the disk ${disk.name} to VM ${vm.id} because it is already attached to VM ${holder}. A disk can be attached to only one VM at a time.`,
      );
    }
    const diskZone = disk.zones?.[0];
    if (diskZone !== undefined && diskZone !== vm.zones?.[0]) {
      throw new ArmError(
        400,
        'BadRequest',
        `Disk ${disk.name} in zone ${diskZone} cannot be attached to VM ${vm.name} in zone ${vm.zones?.[0] ?? '(none)'}.`,
      );
    }
    added.push(disk);
  }
  const removed = vm.dataDisks
    .map(diskIdOf)
    .filter((id) => !after.has(id))
    .map((id) => findDisk(id))
    .filter((d): d is DiskRecord => d !== undefined);
  return { added, removed };
}
