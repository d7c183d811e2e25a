import { isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../src/common/openstack-errors.js';
import { IDEMPOTENCY_METADATA_KEY } from '../src/index.js';
import { checkNovaCreateInput } from '../src/operations/create-input-checks.js';

const base = { name: 'sg', image: 'cirros', flavor: 'm1.small' };

function refusal(work: () => void): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('createServer input Nova would refuse or the driver would misread', () => {
  it('user data is held to Nova 65 535 characters of base64: 49 149 bytes pass, 49 150 do not', () => {
    expect(() =>
      checkNovaCreateInput({ ...base, userData: 'x'.repeat(49_149) }, IDEMPOTENCY_METADATA_KEY),
    ).not.toThrow();
    const error = refusal(() =>
      checkNovaCreateInput({ ...base, userData: 'x'.repeat(49_150) }, IDEMPOTENCY_METADATA_KEY),
    );
    expect(error).toMatchObject({ code: 'invalid-request', field: 'userData' });
    // Multi-byte text counts by its bytes: 25 000 characters of é are 50 000 bytes.
    expect(() =>
      checkNovaCreateInput({ ...base, userData: 'é'.repeat(25_000) }, IDEMPOTENCY_METADATA_KEY),
    ).toThrow();
  });

  it("the driver's idempotency marker in metadata is refused; a Name key is plain metadata", () => {
    const error = refusal(() =>
      checkNovaCreateInput(
        { ...base, metadata: { [IDEMPOTENCY_METADATA_KEY]: 'forged' } },
        IDEMPOTENCY_METADATA_KEY,
      ),
    );
    expect(error).toMatchObject({ code: 'invalid-request', field: `metadata.${IDEMPOTENCY_METADATA_KEY}` });
    expect(() =>
      checkNovaCreateInput({ ...base, metadata: { Name: 'other' } }, IDEMPOTENCY_METADATA_KEY),
    ).not.toThrow();
  });
});

describe('Nova 400s name the request field their message points at', () => {
  const refused = (message: string) =>
    errorFromResponse({
      service: 'nova',
      method: 'POST',
      url: 'http://nova.test/v2.1/servers',
      status: 400,
      headers: new Headers({ 'content-type': 'application/json' }),
      // Nova's fault body, as its API reference shows it.
      bodyText: JSON.stringify({ badRequest: { code: 400, message } }),
      now: Date.now(),
    });

  it.each([
    ['The requested availability zone is not available', 'availabilityZone'],
    ['The supplied device path (/dev/vdb) is in use.', 'device'],
    ['Flavor 42 could not be found.', 'flavor'],
    ['User data needs to be valid base 64.', 'userData'],
  ])('%s -> %s', (message, field) => {
    const error = refused(message);
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    expect(error.field).toBe(field);
  });

  it('a refusal naming no field keeps none (the attach path re-reads on those)', () => {
    expect(refused('Invalid volume: volume is already attached').field).toBeUndefined();
  });
});
