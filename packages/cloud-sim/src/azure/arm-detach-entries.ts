import { diskIdOf } from './arm-data-disks.js';
import { ArmError, type DiskRecord, type Json } from './arm-model.js';

/**
 * The data-disk entries a VM keeps after an update that asks for `wanted`, as Compute
 * treats detaches (the VM model's `toBeDetached` and `detachOption`, API 2019-03-01 on):
 * - an entry left out, or sent with `toBeDetached: true`, is detached;
 * - a disk whose detach is stuck (the test hook) stays in the model marked
 *   `toBeDetached: true`, as a VM whose detach never finished shows it;
 * - `toBeDetached: true` with `detachOption: "ForceDetach"` detaches even a stuck disk:
 *   it leaves the model, and the returned `forced` disks are released with the update.
 * `detachOption` takes only `ForceDetach`, and only with `toBeDetached: true`.
 */
export function keptDataDisks(
  before: readonly Json[],
  wanted: readonly Json[],
  findDisk: (id: string) => DiskRecord | undefined,
): { kept: Json[]; forced: DiskRecord[] } {
  const had = new Set(before.map(diskIdOf));
  const asked = new Set(wanted.map(diskIdOf));
  const kept: Json[] = [];
  const forced: DiskRecord[] = [];
  for (const entry of wanted) {
    checkDetachOption(entry);
    const disk = findDisk(diskIdOf(entry));
    if (entry.toBeDetached !== true) kept.push(entry);
    else if (entry.detachOption === 'ForceDetach') {
      if (disk && had.has(diskIdOf(entry))) forced.push(disk);
    } else if (disk?.forced === 'stuck' && had.has(diskIdOf(entry))) kept.push(entry);
  }
  for (const entry of before) {
    if (asked.has(diskIdOf(entry))) continue;
    if (findDisk(diskIdOf(entry))?.forced === 'stuck') kept.push({ ...entry, toBeDetached: true });
  }
  return { kept, forced };
}

function checkDetachOption(entry: Json): void {
  const option = entry.detachOption;
  if (option === undefined || option === null) return;
  if (option !== 'ForceDetach') {
    throw new ArmError(
      400,
      'InvalidParameter',
      `The value '${String(option)}' of parameter 'dataDisk.detachOption' is not valid. Allowed values: ForceDetach.`,
    );
  }
  if (entry.toBeDetached !== true) {
    throw new ArmError(
      400,
      'InvalidParameter',
      "Parameter 'dataDisk.detachOption' can be set only when 'dataDisk.toBeDetached' is true.",
    );
  }
}
