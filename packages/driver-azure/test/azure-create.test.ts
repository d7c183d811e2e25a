import { isBrokerError, MemoryEventSink } from '@hybrid-broker/core';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TAG } from '../src/resource-state.js';
import { azureOnFake, SUBNET } from './support/azure-target.js';
import { instantClock } from './support/instant-clock.js';

const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };
const VM_PUT = /\/virtualMachines\/[^/]+$/;
const request = (name: string) => ({
  name,
  image: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
  flavor: 'Standard_B2s',
  availabilityZone: '2',
  userData: '#cloud-config\nruncmd: [echo hi]\n',
  adminUsername: 'sgadmin',
  metadata: { role: 'sg-client' },
});

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

describe('azure createServer', () => {
  it('sends the documented VM body: URN image, size, zone, base64 custom data, ssh key, tags, a NIC made from the subnet', async () => {
    const { fake, driver } = azureOnFake();
    const server = await driver.createServer(request('sg-client-1'), { wait: WAIT });
    expect(server.status).toBe('running');
    expect(server.providerStatus).toBe('Succeeded PowerState/running');
    expect(server.availabilityZone).toBe('2');
    const nicPut = fake.seen.find(
      (s) => s.method === 'PUT' && s.path.includes('/networkInterfaces/sg-client-1-nic0'),
    );
    expect(nicPut?.body).toMatchObject({
      location: 'westeurope',
      properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: SUBNET } } }] },
    });
    const put = fake.seen.find((s) => s.method === 'PUT' && VM_PUT.test(s.path));
    expect(put?.headers['if-none-match']).toBe('*');
    expect(put?.body).toMatchObject({
      location: 'westeurope',
      zones: ['2'],
      tags: { role: 'sg-client' },
      properties: {
        hardwareProfile: { vmSize: 'Standard_B2s' },
        storageProfile: {
          imageReference: {
            publisher: 'Canonical',
            offer: '0001-com-ubuntu-server-jammy',
            sku: '22_04-lts-gen2',
            version: 'latest',
          },
          osDisk: { createOption: 'FromImage', deleteOption: 'Delete' },
        },
        osProfile: {
          adminUsername: 'sgadmin',
          customData: Buffer.from(request('x').userData, 'utf8').toString('base64'),
          linuxConfiguration: {
            disablePasswordAuthentication: true,
            ssh: { publicKeys: [{ path: '/home/sgadmin/.ssh/authorized_keys' }] },
          },
        },
        networkProfile: {
          networkInterfaces: [{ properties: { primary: true, deleteOption: 'Delete' } }],
        },
      },
    });
  });

  it('a created server and a read one carry the private address of each NIC, named by its subnet', async () => {
    const { fake, driver } = azureOnFake();
    const server = await driver.createServer(request('sg-addr'), { wait: WAIT });
    const expected = [{ network: 'default', address: '10.0.0.4', version: 4, type: 'fixed' }];
    expect(server.addresses).toEqual(expected);
    expect((await driver.getServer({ serverId: server.id })).addresses).toEqual(expected);
    expect(fake.count('GET', /\/networkInterfaces\/sg-addr-nic0$/)).toBe(2);
  });

  it('a NIC gone meanwhile adds no address; a NIC read refused fails the read, typed', async () => {
    const { fake, driver } = azureOnFake();
    const server = await driver.createServer(request('sg-addr2'), { wait: WAIT });
    fake.injected.push({
      method: 'GET',
      path: /\/networkInterfaces\//,
      status: 403,
      body: { error: { code: 'AuthorizationFailed', message: 'no read on Microsoft.Network' } },
      headers: {},
    });
    const refused = await driver.getServer({ serverId: server.id }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'forbidden', providerCode: 'AuthorizationFailed' });
    fake.nics.clear();
    expect((await driver.getServer({ serverId: server.id })).addresses).toEqual([]);
  });

  it('a repeated create with the same idempotency key returns the same VM and PUTs once', async () => {
    const { fake, driver } = azureOnFake();
    const first = await driver.createServer(request('sg-idem'), { wait: WAIT, idempotencyKey: 'k-1' });
    const second = await driver.createServer(request('sg-idem'), { wait: WAIT, idempotencyKey: 'k-1' });
    expect(second.id).toBe(first.id);
    expect(first.metadata[IDEMPOTENCY_TAG]).toBe('k-1');
    expect(fake.count('PUT', VM_PUT)).toBe(1);
    expect(fake.vms.size).toBe(1);
  });

  it('a create whose response was lost is retried with its key and finds the VM it made, never a second one', async () => {
    const events = new MemoryEventSink();
    const { fake, driver } = azureOnFake({}, {}, { events, clock: instantClock() });
    fake.lostReplies.push({ method: 'PUT', path: VM_PUT });
    const server = await driver.createServer(request('sg-lost'), { wait: WAIT, idempotencyKey: 'k-lost' });
    expect(server.status).toBe('running');
    expect(events.ofType('retry')).toMatchObject([{ operation: 'createServer', code: 'unavailable' }]);
    expect(fake.count('PUT', VM_PUT)).toBe(1);
    expect(fake.vms.size).toBe(1);
  });

  it('a create without a key whose response was lost is not repeated', async () => {
    const { fake, driver } = azureOnFake({}, {}, { clock: instantClock() });
    fake.lostReplies.push({ method: 'PUT', path: VM_PUT });
    const error = await driver
      .createServer(request('sg-lost-nokey'), { wait: WAIT })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'unavailable',
      statusCode: 500,
      providerCode: 'InternalServerError',
    });
    expect(fake.count('PUT', VM_PUT)).toBe(1);
  });

  it("a create ARM refuses outright (quota) deletes the NIC it made for it and fails with ARM's error", async () => {
    const { fake, driver } = azureOnFake();
    fake.injected.push({
      method: 'PUT',
      path: VM_PUT,
      status: 409,
      body: {
        error: {
          code: 'OperationNotAllowed',
          message:
            'Operation could not be completed as it results in exceeding approved standardBSFamily Cores quota.',
        },
      },
      headers: {},
    });
    const error = await driver.createServer(request('sg-quota'), { wait: WAIT }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 409, providerCode: 'OperationNotAllowed' });
    expect(fake.count('PUT', /\/networkInterfaces\/sg-quota-nic0$/)).toBe(1);
    expect(fake.count('DELETE', /\/networkInterfaces\/sg-quota-nic0$/)).toBe(1);
    expect(fake.nics.size).toBe(0);
  });

  it('a create whose outcome is unknown (lost response) keeps its NIC: the VM may hold it', async () => {
    const { fake, driver } = azureOnFake({}, {}, { clock: instantClock() });
    fake.lostReplies.push({ method: 'PUT', path: VM_PUT });
    await driver.createServer(request('sg-unknown'), { wait: WAIT }).catch(() => undefined);
    expect(fake.count('DELETE', /\/networkInterfaces\//)).toBe(0);
    expect(fake.nics.has('sg-unknown-nic0')).toBe(true);
  });

  it('a bad later network is refused before any NIC is made', async () => {
    const { fake, driver } = azureOnFake();
    const error = await driver
      .createServer({ ...request('sg-badnet'), networks: [SUBNET, 'not-an-arm-id'] }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-request', field: 'networks[1]' });
    expect(fake.count('PUT', /\/networkInterfaces\//)).toBe(0);
  });

  it('a create without a key for a name that exists is conflict, and nothing is PUT', async () => {
    const { fake, driver } = azureOnFake();
    await driver.createServer(request('sg-taken'), { wait: WAIT });
    const error = await driver.createServer(request('sg-taken'), { wait: WAIT }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'conflict')).toBe(true);
    expect(fake.count('PUT', VM_PUT)).toBe(1);
  });

  it('a build that fails ends with the LRO error code and message, and the last state', async () => {
    const { fake, driver } = azureOnFake();
    fake.failNextBuild();
    const error = await driver.createServer(request('sg-fails'), { wait: WAIT }).catch((e: unknown) => e);
    expect(isBrokerError(error, 'provider-error')).toBe(true);
    if (!isBrokerError(error)) return;
    expect(error.providerCode).toBe('OSProvisioningClientError');
    expect(error.message).toContain('OS provisioning failed for VM.');
    expect(error.lastState).toMatchObject({ status: 'error', providerStatus: 'Failed PowerState/stopped' });
  });

  it('a bad image or VM name is invalid-request naming the field, before any request', async () => {
    const { fake, driver } = azureOnFake();
    const badImage = await driver
      .createServer({ ...request('sg-ok'), image: 'ubuntu' }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(badImage).toMatchObject({ code: 'invalid-request', field: 'image' });
    const badName = await driver.createServer(request('sg bad!'), { wait: WAIT }).catch((e: unknown) => e);
    expect(badName).toMatchObject({ code: 'invalid-request', field: 'name' });
    expect(fake.count('PUT', VM_PUT)).toBe(0);
  });

  it('wait: false returns once ARM accepted the create, while it is still Creating', async () => {
    const { driver } = azureOnFake({ pollsToFinish: 1_000 });
    const server = await driver.createServer(request('sg-nowait'), { wait: false });
    expect(server.status).toBe('building');
    expect(server.providerStatus).toBe('Creating PowerState/starting');
  });
});
