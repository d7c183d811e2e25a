/**
 * The holder of a volume as Nova's own refusal names it, read from the body
 * recorded on a real Zed Nova (fixtures/real-zed, 37-nova-attach-in-use-volume-twice).
 */
import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../src/common/openstack-errors.js';
import { holderNamedIn, sameId } from '../src/operations/attach-refusal.js';
import { recorded } from './support/real-zed.js';

describe("Nova's 'already attached to instances' refusal", () => {
  it('names the instance that holds the volume, through the mapped error message', () => {
    const r = recorded('37-nova-attach-in-use-volume-twice');
    const error = errorFromResponse({
      service: 'nova',
      method: r.request.method,
      url: `http://127.0.0.1${r.request.path}`,
      status: r.response.status,
      headers: new Headers(r.response.headers),
      bodyText: JSON.stringify(r.response.body),
      now: Date.now(),
    });
    expect(holderNamedIn(error.message)).toBe('a2005d7a-e28d-4137-be73-5396cf60f256');
  });

  it('names nobody in a refusal about something else', () => {
    expect(holderNamedIn('Invalid volume: volume abc status must be available')).toBeUndefined();
    expect(holderNamedIn('already attached to instances: not-a-uuid')).toBeUndefined();
  });

  it('compares Nova ids without regard to case', () => {
    expect(sameId('A2005D7A-E28D-4137-BE73-5396CF60F256', 'a2005d7a-e28d-4137-be73-5396cf60f256')).toBe(true);
    expect(sameId('a2005d7a-e28d-4137-be73-5396cf60f256', 'b2005d7a-e28d-4137-be73-5396cf60f256')).toBe(
      false,
    );
  });
});
