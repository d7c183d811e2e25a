import type { DataDisk } from '@azure/arm-compute';
import { type DataDiskEdit, findDataDisk } from './data-disks.js';

/**
 * The VM update of a forced detach: the disk's entry stays in the list, marked
 * `toBeDetached: true` with `detachOption: "ForceDetach"`. That is the only form ARM takes a
 * forced detach in (an entry left out is a plain detach), and it also applies to a disk
 * "already in the process of detachment" (the DataDisk reference), the stuck case it is for.
 * Nothing to send when the entry is gone or already marked so; the caller then only waits.
 */
export function forceDetachEdit(diskId: string): DataDiskEdit {
  return (disks) => {
    const present = findDataDisk(disks, diskId);
    if (!present || (present.toBeDetached === true && present.detachOption === 'ForceDetach'))
      return undefined;
    const forced: DataDisk = { ...present, toBeDetached: true, detachOption: 'ForceDetach' };
    return disks.map((d) => (d === present ? forced : d));
  };
}
