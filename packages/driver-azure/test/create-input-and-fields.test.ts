import { describe, expect, it } from 'vitest';
import { toAzureError } from '../src/azure-errors.js';
import { checkAzureCreateInput } from '../src/create-input-checks.js';
import { IDEMPOTENCY_TAG } from '../src/resource-state.js';

/** The RestError shape the SDK throws (name, code, statusCode); the driver reads no more of it. */
function restError(message: string, code: string, statusCode: number): Error {
  return Object.assign(new Error(message), { name: 'RestError', code, statusCode });
}

const base = { name: 'sg', image: 'a:b:c:latest', flavor: 'Standard_B1s' };

describe('createServer input ARM would refuse or the driver would misread', () => {
  it('user data is held to 65 535 bytes (ARM: the decoded custom data), counted in bytes', () => {
    expect(() => checkAzureCreateInput({ ...base, userData: 'x'.repeat(65_535) })).not.toThrow();
    expect(() => checkAzureCreateInput({ ...base, userData: 'x'.repeat(65_536) })).toThrow(
      expect.objectContaining({ code: 'invalid-request', field: 'userData' }),
    );
    expect(() => checkAzureCreateInput({ ...base, userData: 'é'.repeat(40_000) })).toThrow(
      expect.objectContaining({ field: 'userData' }),
    );
  });

  it("the driver's idempotency tag in metadata is refused (any case); a Name tag is a plain tag", () => {
    expect(() =>
      checkAzureCreateInput({ ...base, metadata: { [IDEMPOTENCY_TAG.toUpperCase()]: 'x' } }),
    ).toThrow(expect.objectContaining({ code: 'invalid-request' }));
    expect(() => checkAzureCreateInput({ ...base, metadata: { Name: 'other' } })).not.toThrow();
  });
});

describe('ARM refusals name the request field their message points at', () => {
  // Messages in ARM's words (InvalidParameter, 400).
  it.each([
    ["The requested zone(s) '9' is not supported in location 'westeurope'.", 'availabilityZone'],
    ['A disk at LUN 0 already exists.', 'device'],
    ["The requested VM size 'Standard_X1' is not available in the current region.", 'flavor'],
    [
      'Custom data in OSProfile must be in Base64 encoding and with a maximum length of 87380 characters.',
      'userData',
    ],
  ])('%s -> %s', (message, field) => {
    const error = toAzureError(restError(message, 'InvalidParameter', 400), 'creating VM sg');
    expect(error).toMatchObject({ code: 'invalid-request', field });
  });

  it('a conflict names no field', () => {
    const error = toAzureError(restError('zone busy', 'Conflict', 409), 'attaching');
    expect(error.field).toBeUndefined();
  });
});
