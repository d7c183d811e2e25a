import { BrokerError, isBrokerError, type Server } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { isNoValidHost, placementFailed } from '../src/operations/placement-failure.js';

const inError = (fault: string) =>
  new BrokerError('provider-error', 'server x to be ACTIVE failed', {
    lastState: { id: 'x', providerId: 'x', status: 'error', fault } as Partial<Server>,
  });

describe('placement failures of a group member', () => {
  it("are Nova's NoValidHost and, on a scheduler without the group filters, its refusal of the policy", () => {
    expect(isNoValidHost(inError('No valid host was found. There are not enough hosts available.'))).toBe(
      true,
    );
    // recorded on the local Zed stack before its enabled_filters had the server group filters
    expect(
      isNoValidHost(
        inError('ServerGroup policy is not supported: ServerGroupAntiAffinityFilter not configured'),
      ),
    ).toBe(true);
    expect(isNoValidHost(inError('Build of instance x aborted: Volume y did not finish being created'))).toBe(
      false,
    );
    expect(isNoValidHost(new BrokerError('timeout', 'No valid host'))).toBe(false);
  });

  it('delete the ERROR server, then throw placement-failed with the fault, even when the delete fails', async () => {
    const deleted: string[] = [];
    const error = await placementFailed(inError('No valid host was found.'), 'g', async (id) => {
      deleted.push(id);
      throw new Error('nova down');
    }).catch((e: unknown) => e);
    expect(deleted).toEqual(['x']);
    expect(isBrokerError(error, 'placement-failed')).toBe(true);
    expect((error as Error).message).toMatch(/No valid host.*a repeat deletes it/);
  });
});
