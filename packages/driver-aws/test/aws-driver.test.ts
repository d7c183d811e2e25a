process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { isBrokerError } from '@hybrid-broker/core';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientTokenFor } from '../src/index.js';
import {
  attachVolume,
  describeInstances,
  describeVolumes,
  doc,
  errorXml,
  runInstances,
} from './support/ec2-responses.js';
import { countOf, mockEc2 } from './support/nock-ec2.js';
import { FAST, testDriver } from './support/test-driver.js';

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const I = 'i-0123456789abcdef0';
const V = 'vol-0123456789abcdef0';

describe('createServer', () => {
  it('sends RunInstances with subnet, groups, zone, base64 user data, key, Name and metadata tags, and a ClientToken from the key', async () => {
    const { calls } = mockEc2({
      RunInstances: () => [200, runInstances(I)],
      DescribeInstances: () => [200, describeInstances({ id: I, state: 'running', name: 'sg-1' })],
    });
    const { driver } = testDriver();
    const request = {
      name: 'sg-1',
      image: 'ami-12345678',
      flavor: 't3.micro',
      networks: ['subnet-1'],
      securityGroups: ['sg-a', 'sg-b'],
      availabilityZone: 'us-east-1a',
      userData: '#cloud-config\n',
      keyName: 'ops',
      metadata: { role: 'gateway' },
    };
    const server = await driver.createServer(request, { wait: FAST, idempotencyKey: 'create-1' });
    const run = calls.find((c) => c.Action === 'RunInstances');
    expect(run).toMatchObject({
      ImageId: 'ami-12345678',
      InstanceType: 't3.micro',
      SubnetId: 'subnet-1',
      'SecurityGroupId.1': 'sg-a',
      'SecurityGroupId.2': 'sg-b',
      'Placement.AvailabilityZone': 'us-east-1a',
      UserData: Buffer.from('#cloud-config\n').toString('base64'),
      KeyName: 'ops',
      'TagSpecification.1.ResourceType': 'instance',
      'TagSpecification.1.Tag.1.Key': 'Name',
      'TagSpecification.1.Tag.1.Value': 'sg-1',
      'TagSpecification.1.Tag.2.Key': 'role',
      'TagSpecification.1.Tag.2.Value': 'gateway',
      ClientToken: clientTokenFor('create-1'),
    });
    expect(server).toMatchObject({ id: I, status: 'running', name: 'sg-1', availabilityZone: 'us-east-1a' });
  });

  it('derives the same ClientToken for the same key and different ones for different keys', () => {
    expect(clientTokenFor('k1')).toBe(clientTokenFor('k1'));
    expect(clientTokenFor('k1')).not.toBe(clientTokenFor('k2'));
    expect(clientTokenFor('x'.repeat(64)).length).toBeLessThanOrEqual(64);
  });

  it('ends the wait at once with the state reason when the instance terminates during launch', async () => {
    let polls = 0;
    mockEc2({
      RunInstances: () => [200, runInstances(I)],
      DescribeInstances: () => {
        polls++;
        return [
          200,
          describeInstances({
            id: I,
            state: polls < 2 ? 'pending' : 'terminated',
            reason: 'Server.InsufficientInstanceCapacity: no capacity',
          }),
        ];
      },
    });
    const { driver } = testDriver();
    const error = await driver
      .createServer(
        { name: 'sg-1', image: 'ami-12345678', flavor: 't3.micro' },
        { wait: { ...FAST, timeoutMs: 60_000 } },
      )
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'provider-error')).toBe(true);
    expect((error as Error).message).toContain('no capacity');
    expect(polls).toBe(2);
  });

  it('treats an instance EC2 does not list yet as pending (eventual consistency after RunInstances)', async () => {
    let polls = 0;
    mockEc2({
      RunInstances: () => [200, runInstances(I)],
      DescribeInstances: () =>
        ++polls === 1
          ? [400, errorXml('InvalidInstanceID.NotFound', `The instance ID '${I}' does not exist`)]
          : [200, describeInstances({ id: I, state: 'running' })],
    });
    const { driver } = testDriver();
    const server = await driver.createServer(
      { name: 'sg-1', image: 'ami-12345678', flavor: 't3.micro' },
      { wait: FAST },
    );
    expect(server.status).toBe('running');
    expect(polls).toBe(2);
  });

  it('reports an unknown AMI as invalid-request naming the image field', async () => {
    mockEc2({
      RunInstances: () => [
        400,
        errorXml('InvalidAMIID.NotFound', "The image id '[ami-12345678]' does not exist"),
      ],
    });
    const { driver } = testDriver();
    const error = await driver
      .createServer({ name: 'a', image: 'ami-12345678', flavor: 't3.micro' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'invalid-request',
      field: 'image',
      providerCode: 'InvalidAMIID.NotFound',
      requestId: 'req-err',
    });
  });
});

describe('attachVolume', () => {
  it('picks the first free device of /dev/sdf../dev/sdp from the block-device mappings', async () => {
    const { calls } = mockEc2({
      DescribeInstances: () => [
        200,
        describeInstances({ id: I, state: 'running', devices: ['/dev/xvda', '/dev/sdf', '/dev/xvdg'] }),
      ],
      DescribeVolumes: () => {
        const attached = calls.some((c) => c.Action === 'AttachVolume');
        return [
          200,
          describeVolumes({
            id: V,
            state: attached ? 'in-use' : 'available',
            ...(attached ? { attachment: { instanceId: I, state: 'attached', device: '/dev/sdh' } } : {}),
          }),
        ];
      },
      AttachVolume: (f) => [200, attachVolume(V, I, f.Device ?? '')],
    });
    const { driver } = testDriver();
    const attachment = await driver.attachVolume({ serverId: I, volumeId: V }, { wait: FAST });
    expect(calls.find((c) => c.Action === 'AttachVolume')?.Device).toBe('/dev/sdh');
    expect(attachment).toMatchObject({ serverId: I, volumeId: V, device: '/dev/sdh', state: 'attached' });
  });

  it('refuses a cross-zone attach as invalid-request before calling AttachVolume', async () => {
    const { calls } = mockEc2({
      DescribeInstances: () => [200, describeInstances({ id: I, state: 'running', zone: 'us-east-1a' })],
      DescribeVolumes: () => [200, describeVolumes({ id: V, state: 'available', zone: 'us-east-1b' })],
    });
    const { driver } = testDriver();
    const error = await driver
      .attachVolume({ serverId: I, volumeId: V }, { wait: FAST })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-request', field: 'volumeId' });
    expect((error as Error).message).toMatch(/us-east-1b.*us-east-1a/);
    expect(countOf(calls, 'AttachVolume')).toBe(0);
  });
});

describe('detachVolume', () => {
  it('waits through busy and detaching until the volume is available', async () => {
    const states = ['busy', 'detaching', undefined];
    let polls = 0;
    const { calls } = mockEc2({
      DescribeVolumes: () => {
        if (!calls.some((c) => c.Action === 'DetachVolume')) {
          return [
            200,
            describeVolumes({ id: V, state: 'in-use', attachment: { instanceId: I, state: 'attached' } }),
          ];
        }
        const state = states[Math.min(polls++, 2)];
        return [
          200,
          describeVolumes({
            id: V,
            state: state ? 'in-use' : 'available',
            ...(state ? { attachment: { instanceId: I, state } } : {}),
          }),
        ];
      },
      DetachVolume: () => [
        200,
        doc(
          'DetachVolume',
          `<volumeId>${V}</volumeId><instanceId>${I}</instanceId><device>/dev/sdf</device><status>detaching</status>`,
        ),
      ],
    });
    const { driver } = testDriver();
    const result = await driver.detachVolume({ serverId: I, volumeId: V }, { wait: FAST });
    expect(result.detached).toBe(true);
    expect(result.volume.status).toBe('available');
    expect(polls).toBe(3);
  });

  it('is a no-op result when the volume is not attached to that server', async () => {
    const { calls } = mockEc2({
      DescribeVolumes: () => [
        200,
        describeVolumes({
          id: V,
          state: 'in-use',
          attachment: { instanceId: 'i-0fffffffffffffff0', state: 'attached' },
        }),
      ],
      DescribeInstances: () => [200, describeInstances({ id: I, state: 'running' })],
    });
    const { driver } = testDriver();
    const result = await driver.detachVolume({ serverId: I, volumeId: V }, { wait: FAST });
    expect(result.detached).toBe(false);
    expect(countOf(calls, 'DetachVolume')).toBe(0);
  });
});

describe('deleteServer', () => {
  it('counts an instance EC2 does not know as already deleted', async () => {
    mockEc2({
      TerminateInstances: () => [
        400,
        errorXml('InvalidInstanceID.NotFound', `The instance ID '${I}' does not exist`),
      ],
    });
    const { driver } = testDriver();
    expect(await driver.deleteServer({ serverId: I }, { wait: FAST })).toEqual({
      serverId: I,
      deleted: false,
    });
  });
});

describe('abort', () => {
  it('stops a waiter at once and sends no more polls', async () => {
    mockEc2({
      RunInstances: () => [200, runInstances(I)],
      DescribeInstances: () => [200, describeInstances({ id: I, state: 'pending' })],
    });
    const { driver } = testDriver();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    const error = await driver
      .createServer(
        { name: 'a', image: 'ami-12345678', flavor: 't3.micro' },
        { wait: { ...FAST, timeoutMs: 60_000 }, signal: controller.signal },
      )
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'aborted')).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
