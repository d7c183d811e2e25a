import { isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { formatRegionId, parseRegionId } from '../src/index.js';

describe('region ids', () => {
  it('round-trips any region name, including ones with the separator, percent signs and spaces', () => {
    for (const region of ['RegionOne', 'az1.dc-2', 'a:b', '100%', 'east west', 'région/1', '::']) {
      const id = formatRegionId(region, '6f1c-uuid');
      expect(parseRegionId(id, 'serverId')).toEqual({ region, providerId: '6f1c-uuid' });
    }
  });

  it('leaves ordinary region names readable', () => {
    expect(formatRegionId('az1.dc-2_x', 'v')).toBe('az1.dc-2_x:v');
    expect(formatRegionId('a:b', 'v')).toBe('a%3Ab:v');
  });

  it('reads an id without the separator as bare', () => {
    expect(parseRegionId('6f1c-uuid', 'volumeId')).toEqual({ region: undefined, providerId: '6f1c-uuid' });
  });

  it('keeps separators after the first one in the provider id', () => {
    expect(parseRegionId('r:a:b', 'serverId')).toEqual({ region: 'r', providerId: 'a:b' });
  });

  it('refuses empty parts and non-canonical encodings as invalid-request naming the field', () => {
    for (const id of [':x', 'r:', '%zz:x', '%41:x', 'a%3ab:x']) {
      let error: unknown;
      try {
        parseRegionId(id, 'volumeId');
      } catch (e) {
        error = e;
      }
      expect(isBrokerError(error, 'invalid-request'), id).toBe(true);
      expect((error as { field?: string }).field).toBe('volumeId');
    }
  });
});
