import { describe, expect, it } from 'vitest';
import type { Server } from '../../src/index.js';
import { changedParts } from '../../src/watch/resource-diff.js';

const server: Server = {
  id: 's1',
  name: 'sg',
  status: 'running',
  providerStatus: 'ACTIVE',
  powerState: 'running',
  providerPowerState: 'running',
  addresses: [],
  metadata: {},
} as unknown as Server;

describe('changedParts of a server', () => {
  it("names power when the server's power state changes (Server.powerState, providerPowerState)", () => {
    expect(changedParts(server, { ...server, powerState: 'stopped', providerPowerState: 'stopped' })).toEqual(
      ['power'],
    );
    expect(changedParts(server, { ...server, providerPowerState: 'stopping' })).toEqual(['power']);
    expect(changedParts(server, { ...server })).toEqual([]);
  });
});
