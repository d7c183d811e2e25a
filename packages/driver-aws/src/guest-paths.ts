/**
 * Where an EBS volume appears inside a Linux guest, most specific first.
 *
 * On Nitro instances EBS volumes are NVMe devices whose model is
 * "Amazon Elastic Block Store" and whose serial is the volume id without its
 * dash; udev's by-id rule names them `nvme-<model>_<serial>` with spaces
 * replaced by `_` (amazon-ec2-utils, its udev rules and `ebsnvme-id(8)`,
 * https://manpages.ubuntu.com/manpages/noble/man8/ebsnvme-id.8.html). So
 * `/dev/sdf` asked for shows up as `/dev/nvme1n1`, found again as
 * `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123...`. On Xen
 * instances the kernel names `/dev/sdX` as `/dev/xvdX` (amazon-ec2-utils'
 * `ec2udev-vbd` rule links them back). The requested device comes last.
 */
export function guestPathsFor(volumeId: string, device: string | undefined): string[] {
  const xen = device?.startsWith('/dev/sd') ? `/dev/xvd${device.slice('/dev/sd'.length)}` : undefined;
  return [
    `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace('-', '')}`,
    ...(xen ? [xen] : []),
    ...(device ? [device] : []),
  ];
}
