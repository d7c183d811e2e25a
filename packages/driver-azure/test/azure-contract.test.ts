import { describePlatformDriverContract } from '@hybrid-broker/testkit';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { azureContractTarget } from './support/azure-target.js';

// The shared contract, against ARM mocked with nock (bodies from the documented examples).
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describePlatformDriverContract('azure (nock ARM)', azureContractTarget, {
  runner: { describe, it, beforeAll, afterAll },
  wait: { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 },
});
