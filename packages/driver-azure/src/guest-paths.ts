/**
 * Where a data disk on `lun` appears inside a Linux guest: the Azure Linux
 * agent's udev rules link every data disk as `/dev/disk/azure/scsi1/lun<N>`
 * (Microsoft, "Troubleshoot Linux VM device name changes", "Identify disk
 * LUNs": https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/troubleshoot-device-names-problems).
 * The `/dev/sdX` name itself is not stable across restarts or re-attaches.
 */
export function guestPathsFor(lun: number): string[] {
  return [`/dev/disk/azure/scsi1/lun${lun}`];
}
