import { describe, expect, it } from 'vitest';
import { deviceInUse, pickDeviceName } from '../src/device-names.js';

describe('device names', () => {
  it('picks /dev/sdf first and skips slots taken under either the sd or xvd spelling', () => {
    expect(pickDeviceName('i-1', ['/dev/xvda'])).toBe('/dev/sdf');
    expect(pickDeviceName('i-1', ['/dev/xvda', '/dev/xvdf', 'sdg'])).toBe('/dev/sdh');
  });

  it('fails with quota-exceeded naming the device field when /dev/sdf../dev/sdp are all used', () => {
    const all = 'fghijklmnop'.split('').map((c) => `/dev/sd${c}`);
    expect(() => pickDeviceName('i-1', all)).toThrow(
      expect.objectContaining({ code: 'quota-exceeded', field: 'device' }),
    );
  });

  it('sees a requested device as in use under the other spelling', () => {
    expect(deviceInUse('/dev/sdf', ['/dev/xvdf'])).toBe(true);
    expect(deviceInUse('/dev/sdg', ['/dev/xvdf'])).toBe(false);
  });
});
