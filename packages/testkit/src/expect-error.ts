import assert from 'node:assert/strict';
import { type BrokerErrorCode, isBrokerError } from '@hybrid-broker/core';

/** Awaits `promise` and asserts it rejects with a BrokerError of one of `codes`; returns the error. */
export async function expectBrokerError(promise: Promise<unknown>, ...codes: BrokerErrorCode[]) {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    assert.ok(isBrokerError(error), `expected a BrokerError, got ${String(error)}`);
    assert.ok(
      codes.includes(error.code),
      `expected a BrokerError of code ${codes.join(' or ')}, got ${error.code}: ${error.message}`,
    );
    return error;
  }
  assert.fail(
    `expected a BrokerError of code ${codes.join(' or ')}, but the call succeeded with ${JSON.stringify(outcome)}`,
  );
}
