import { describe, expect, it } from 'vitest';
import { guestPathsFor } from '../src/operations/guest-paths.js';

describe('Cinder guest paths', () => {
  it('cuts the virtio-blk serial to 20 characters and keeps the whole id for virtio-scsi', () => {
    expect(guestPathsFor('4f5a8b6c-1d2e-4f30-9a1b-2c3d4e5f6a7b', '/dev/vdb')).toEqual([
      '/dev/disk/by-id/virtio-4f5a8b6c-1d2e-4f30-9',
      '/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_4f5a8b6c-1d2e-4f30-9a1b-2c3d4e5f6a7b',
      '/dev/vdb',
    ]);
  });
});
