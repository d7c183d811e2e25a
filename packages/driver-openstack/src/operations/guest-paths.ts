/**
 * Where a Cinder volume attached by Nova/libvirt appears inside a Linux guest,
 * most specific first.
 *
 * Nova gives every attached volume's disk the volume id as its serial number
 * (nova-specs, rocky, "Expose persistent serial numbers for local disks":
 * "we already expose the volume id as the serial number of a disk",
 * https://specs.openstack.org/openstack/nova-specs/specs/rocky/approved/local-disk-serial-numbers.html).
 * A virtio-blk serial holds at most 20 bytes (VIRTIO_BLK_ID_BYTES in the
 * virtio specification), and udev's persistent-storage rules name it
 * `/dev/disk/by-id/virtio-<serial>`; on a virtio-scsi bus QEMU's scsi-hd
 * disk shows as `/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_<serial>`, with the
 * whole id. Nova's `device` (e.g. `/dev/vdb`) comes last: it is only the name
 * asked for, and the guest kernel names disks in the order it finds them.
 */
export function guestPathsFor(volumeId: string, device: string | undefined): string[] {
  return [
    `/dev/disk/by-id/virtio-${volumeId.slice(0, 20)}`,
    `/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_${volumeId}`,
    ...(device ? [device] : []),
  ];
}
