import { isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { checkOpenStackId, isOpenStackId } from '../src/common/openstack-ids.js';

describe('the Nova and Cinder id grammar', () => {
  it('takes UUIDs in either case, and numeric ids for servers only (older Nova bodies)', () => {
    expect(isOpenStackId('server', '2390fb4d-1693-45d7-b309-e29c4af16538')).toBe(true);
    expect(isOpenStackId('volume', 'A26887C6-C47B-4654-ABB5-DFADF7D3F803')).toBe(true);
    expect(isOpenStackId('server', '4711')).toBe(true);
    expect(isOpenStackId('volume', '4711')).toBe(false);
  });

  it('refuses what Nova and Cinder never issue', () => {
    for (const id of [
      '../x',
      'a/b',
      'srv-1',
      '2390fb4d16934 5d7',
      '2390fb4d-1693-45d7-b309-e29c4af1653',
      ' 4711',
      '4711x',
    ])
      expect(isOpenStackId('server', id), id).toBe(false);
  });

  it('says which field and what was expected', () => {
    const error = (() => {
      try {
        checkOpenStackId('volume', '../x', 'volumeId');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    expect(error).toMatchObject({ field: 'volumeId', retryable: false });
    expect((error as Error).message).toContain('expected a Cinder volume id (a UUID');
  });
});
