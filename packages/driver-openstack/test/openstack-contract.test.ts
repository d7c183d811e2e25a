import { describePlatformDriverContract } from '@hybrid-broker/testkit';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fakeTarget } from './support/fake-target.js';

// The shared contract against Keystone/Nova/Cinder/Glance mocked with nock (documented bodies),
// with Nova lists paginated two to a page.
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describePlatformDriverContract('openstack (nock Keystone/Nova/Cinder)', () => fakeTarget({ pageSize: 2 }), {
  runner: { describe, it, beforeAll, afterAll },
  wait: { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 },
});
