/**
 * Malformed platform configs and requests: wrong types, missing fields, bad
 * URLs, huge strings. Each is refused before any request with an
 * `invalid-request` BrokerError naming the field path, and a secret given in
 * the same config never appears in the message.
 */
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnyDriverDefinition,
  createBroker,
  createDriver,
  isBrokerError,
} from '../../packages/core/src/index.js';
import { awsDriver } from '../../packages/driver-aws/src/index.js';
import { azureDriver } from '../../packages/driver-azure/src/index.js';
import { cascadingDriver } from '../../packages/driver-cascading/src/index.js';
import { openstackDriver } from '../../packages/driver-openstack/src/index.js';

const SECRET = 'canary-config-secret-3b5d7f9a';
const HUGE = 'h'.repeat(100_000);
const osAuth = {
  method: 'password',
  url: 'https://keystone.example.com/v3',
  username: 'u',
  userDomainName: 'Default',
  password: SECRET,
  projectName: 'p',
  projectDomainName: 'Default',
};
const aws = { region: 'eu-west-1', credentials: { accessKeyId: 'AKIDCONFIG', secretAccessKey: SECRET } };
const azure = {
  subscriptionId: '00000000-0000-4000-8000-000000000001',
  resourceGroup: 'rg',
  location: 'westeurope',
  credentials: { type: 'client-secret', tenantId: 't', clientId: 'c', clientSecret: SECRET },
};

/** [what, driver, config, the field the error must name]. */
const CASES: readonly [string, AnyDriverDefinition, Record<string, unknown>, string][] = [
  ['openstack: auth url not a URL', openstackDriver, { auth: { ...osAuth, url: 'keystone' } }, 'auth.url'],
  ['openstack: password a number', openstackDriver, { auth: { ...osAuth, password: 42 } }, 'auth.password'],
  [
    'openstack: unknown auth method',
    openstackDriver,
    { auth: { ...osAuth, method: 'kerberos' } },
    'auth.method',
  ],
  ['openstack: no credentials at all', openstackDriver, {}, 'auth'],
  ['openstack: a field that does not exist', openstackDriver, { auth: osAuth, regoin: 'x' }, ''],
  [
    'openstack: request timeout a string',
    openstackDriver,
    { auth: osAuth, requestTimeoutMs: '60' },
    'requestTimeoutMs',
  ],
  [
    'openstack: microversion malformed',
    openstackDriver,
    { auth: osAuth, novaMicroversion: '2.x' },
    'novaMicroversion',
  ],
  [
    'cascading: region pattern not a regex',
    cascadingDriver,
    { auth: osAuth, regions: { include: ['/(/'] } },
    'regions.include[0]',
  ],
  ['cascading: bareIds not an option', cascadingDriver, { auth: osAuth, bareIds: 'guess' }, 'bareIds'],
  ['aws: region malformed', awsDriver, { ...aws, region: 'Europe West' }, 'region'],
  ['aws: endpoint not http(s)', awsDriver, { ...aws, endpoint: 'ftp://x' }, 'endpoint'],
  ['aws: maxAttempts out of range', awsDriver, { ...aws, maxAttempts: 1000 }, 'maxAttempts'],
  [
    'aws: secret key empty',
    awsDriver,
    { ...aws, credentials: { accessKeyId: 'AKID', secretAccessKey: '' } },
    'credentials.secretAccessKey',
  ],
  ['azure: subscription id a number', azureDriver, { ...azure, subscriptionId: 7 }, 'subscriptionId'],
  [
    'azure: plain http off loopback',
    azureDriver,
    { ...azure, endpoint: 'http://arm.example.com' },
    'endpoint',
  ],
  [
    'azure: unknown credential type',
    azureDriver,
    { ...azure, credentials: { type: 'password' } },
    'credentials.type',
  ],
];

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.enableNetConnect());

function refusal(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('malformed configs are refused naming the field', () => {
  for (const [what, definition, config, field] of CASES) {
    it(`${what}: invalid-request naming ${field || 'the config'}, no secret in the message`, () => {
      const error = refusal(() => createDriver(definition, config));
      expect(isBrokerError(error, 'invalid-request')).toBe(true);
      const named = (error as { field?: string }).field ?? '';
      expect(named.startsWith(`platforms.${definition.kind}`)).toBe(true);
      if (field !== '') expect(named).toBe(`platforms.${definition.kind}.${field}`);
      expect(String((error as Error).message)).not.toContain(SECRET);
      expect(JSON.stringify(error)).not.toContain(SECRET);
    });
  }

  it('a broker config with a huge platform name, a non-object platform and a wrong-typed wait is refused naming each', () => {
    const cases: [unknown, string][] = [
      [{ platforms: { [HUGE.slice(0, 200)]: { driver: 'memory' } } }, 'platforms'],
      [{ platforms: { os: 'openstack' } }, 'platforms.os'],
      [{ platforms: { os: { driver: 'memory', wait: { timeoutMs: '5s' } } } }, 'platforms.os.wait.timeoutMs'],
      [{ platforms: {} }, 'platforms'],
      [{ platforms: { os: { driver: 'no-such-driver' } } }, 'platforms.os.driver'],
    ];
    for (const [config, field] of cases) {
      const error = refusal(() => createBroker(config as never));
      expect(isBrokerError(error, 'invalid-request') && error.field?.startsWith(field)).toBe(true);
    }
  });
});

describe('malformed requests are refused naming the field, before any request', () => {
  const driver = createDriver(openstackDriver, { auth: osAuth, region: 'RegionOne' });
  const wait = { timeoutMs: 100 };
  const cases: [string, () => Promise<unknown>, string][] = [
    ['a huge name', () => driver.createServer({ name: HUGE, image: 'i', flavor: 'f' }, { wait }), 'name'],
    [
      'huge user data',
      () => driver.createServer({ name: 'n', image: 'i', flavor: 'f', userData: HUGE }, { wait }),
      'userData',
    ],
    [
      'an image of the wrong type',
      () => driver.createServer({ name: 'n', image: 7, flavor: 'f' } as never, { wait }),
      'image',
    ],
    [
      'metadata of the wrong type',
      () =>
        driver.createServer({ name: 'n', image: 'i', flavor: 'f', metadata: { k: 1 } } as never, { wait }),
      'metadata.k',
    ],
    [
      'a huge device name',
      () => driver.attachVolume({ serverId: 's', volumeId: 'v', device: HUGE }, { wait }),
      'device',
    ],
    [
      'readOnly of the wrong type',
      () => driver.attachVolume({ serverId: 's', volumeId: 'v', readOnly: 'yes' } as never, { wait }),
      'readOnly',
    ],
    [
      'a malformed idempotency key',
      () => driver.createServer({ name: 'n', image: 'i', flavor: 'f' }, { idempotencyKey: '../k', wait }),
      'idempotencyKey',
    ],
    [
      'a negative wait',
      () => driver.deleteServer({ serverId: 's' }, { wait: { timeoutMs: -1 } }),
      'wait.timeoutMs',
    ],
  ];
  for (const [what, call, field] of cases) {
    it(`${what}: invalid-request naming ${field}`, async () => {
      // disableNetConnect: reaching keystone.example.com would fail as unavailable, not invalid-request.
      const error = await call().catch((e: unknown) => e);
      expect(isBrokerError(error, 'invalid-request') && error.field).toBe(field);
    });
  }
});
