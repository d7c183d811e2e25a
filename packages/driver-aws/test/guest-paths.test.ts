import { describe, expect, it } from 'vitest';
import { guestPathsFor } from '../src/guest-paths.js';

describe('EBS guest paths', () => {
  it('puts the Nitro NVMe by-id link first, then the Xen name, then the requested device', () => {
    expect(guestPathsFor('vol-0abc1234def567890', '/dev/sdf')).toEqual([
      '/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0abc1234def567890',
      '/dev/xvdf',
      '/dev/sdf',
    ]);
  });
});
