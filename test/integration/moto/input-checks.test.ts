/**
 * Item 9 of issue 16 against moto: bad input is refused by the driver before it reaches
 * EC2 (ids outside EC2's grammar, metadata.Name, oversized user data), EC2's own refusals
 * name the field, and detachVolume({ wait: false }) returns EC2's `detaching` answer.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDriver, MemoryEventSink, type PlatformDriver } from '../../../packages/core/src/index.js';
import { awsDriver } from '../../../packages/driver-aws/src/index.js';
import { firstElement, motoQuery } from './moto-query.js';

const endpoint = inject('motoEndpoint');
const wait = { initialDelayMs: 1, maxDelayMs: 20, jitter: 0, timeoutMs: 10_000 };
let driver: PlatformDriver;
let events: MemoryEventSink;
let image: string;

beforeAll(async () => {
  await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  image = firstElement(await motoQuery(endpoint, 'DescribeImages', { 'Owner.1': 'amazon' }), 'imageId');
  events = new MemoryEventSink();
  driver = createDriver(
    awsDriver,
    {
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'moto-secret-key' },
      maxAttempts: 1,
    },
    { services: { events } },
  );
}, 60_000);
afterAll(async () => driver?.close?.());

const requests = () => events.ofType('request').length;

describe('aws (moto): bad input never comes back as a verdict', () => {
  it.each(['../x', 'vol-%2e%2e', 'i-１２３', 'i-123 OR 1=1'])(
    '%j is invalid-request naming the field, and nothing is sent',
    async (bad) => {
      const before = requests();
      await expect(driver.deleteServer({ serverId: bad }, { wait })).rejects.toMatchObject({
        code: 'invalid-request',
        field: 'serverId',
      });
      await expect(driver.getVolume({ volumeId: bad })).rejects.toMatchObject({
        code: 'invalid-request',
        field: 'volumeId',
      });
      expect(requests()).toBe(before);
    },
  );

  it('a well-formed id that names nothing is still not-found', async () => {
    await expect(driver.getServer({ serverId: 'i-0000000000000dead' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(await driver.deleteServer({ serverId: 'i-0000000000000dead' }, { wait })).toEqual({
      serverId: 'i-0000000000000dead',
      deleted: false,
    });
  });

  it('metadata.Name and user data over 16 KB are refused before RunInstances', async () => {
    const create = { name: 'sg-1', image, flavor: 't2.micro' };
    await expect(driver.createServer({ ...create, metadata: { Name: 'other' } })).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'metadata.Name',
    });
    await expect(driver.createServer({ ...create, userData: 'x'.repeat(16_385) })).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'userData',
    });
  });

  it('a bad availability zone comes back from EC2 naming availabilityZone', async () => {
    const error = await driver
      .createServer({ name: 'sg-az', image, flavor: 't2.micro', availabilityZone: 'us-east-1z' }, { wait })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-request', field: 'availabilityZone' });
  });

  it("detachVolume({ wait: false }) returns EC2's detaching answer", async () => {
    const server = await driver.createServer(
      { name: 'sg-detach', image, flavor: 't2.micro', availabilityZone: 'us-east-1a' },
      { wait },
    );
    const volumeId = firstElement(
      await motoQuery(endpoint, 'CreateVolume', { AvailabilityZone: 'us-east-1a', Size: '1' }),
      'volumeId',
    );
    await driver.attachVolume({ serverId: server.id, volumeId }, { wait });
    const result = await driver.detachVolume({ serverId: server.id, volumeId }, { wait: false });
    expect(result.detached).toBe(true);
    expect(result.volume.attachments.find((a) => a.serverId === server.id)?.providerState).toBe('detaching');
    await driver.deleteServer({ serverId: server.id }, { wait });
  });
});
