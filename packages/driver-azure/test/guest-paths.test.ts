import { describe, expect, it } from 'vitest';
import { guestPathsFor } from '../src/guest-paths.js';

describe('Azure guest paths', () => {
  it("names the agent's LUN link", () => {
    expect(guestPathsFor(3)).toEqual(['/dev/disk/azure/scsi1/lun3']);
  });
});
