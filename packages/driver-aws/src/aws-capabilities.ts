import type { DriverCapabilities } from '@hybrid-broker/core';

/**
 * What the AWS driver can do: ClientToken makes creates idempotent, EC2
 * records the device name asked for, and EBS attaches stay within one zone.
 * Multi-attach (io1/io2 only) and read-only attaches are not offered.
 * Anti-affinity is a spread placement group (one rack per member, 7 per zone).
 */
export const AWS_CAPABILITIES: DriverCapabilities = {
  idempotentCreate: true,
  requestedDeviceHonoured: true,
  availabilityZones: true,
  multiAttach: false,
  readOnlyAttach: false,
  guestPaths: true,
  // DetachVolume with Force: true.
  forceDetach: true,
  antiAffinity: true,
  // CreateVolume/DeleteVolume; EBS makes volumes from snapshots, never from an AMI.
  volumeLifecycle: true,
  volumeFromSnapshot: true,
  // StartInstances, StopInstances, RebootInstances.
  power: true,
  // DescribeImages (configured owners) and DescribeInstanceTypes.
  listImages: true,
  listFlavors: true,
  // CreateTags and DeleteTags.
  metadata: true,
  // Over full DescribeVolumes/DescribeInstances lists (paged); the State and attachments are in them.
  watch: true,
};
