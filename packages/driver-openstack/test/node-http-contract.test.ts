import { describePlatformDriverContract } from '@hybrid-broker/testkit';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fakeTarget } from './support/fake-target.js';

// The shared contract again with `transport: 'node-http'`: the driver's own node:http transport
// sends every request, and nock intercepts node:http as it does fetch. (Its own file: the nock
// scopes of one fake cloud stay installed for the whole file.)
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describePlatformDriverContract(
  'openstack on transport node-http (nock Keystone/Nova/Cinder)',
  () => fakeTarget({ pageSize: 2, config: { transport: 'node-http' } }),
  {
    runner: { describe, it, beforeAll, afterAll },
    wait: { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 },
  },
);
