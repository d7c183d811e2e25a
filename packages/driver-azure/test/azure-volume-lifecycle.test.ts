import { createHash } from 'node:crypto';
import type { CreateVolumeRequest, PlatformDriver } from '@hybrid-broker/core';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { azureOnFake } from './support/azure-target.js';
import { SUB } from './support/fake-arm.js';

const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };
const DISK_PUT = /\/Microsoft\.Compute\/disks\/[^/]+$/;

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

function ops(driver: PlatformDriver) {
  const { createVolume, deleteVolume } = driver;
  if (!createVolume || !deleteVolume) throw new Error('the azure driver declares volumeLifecycle');
  return { create: createVolume.bind(driver), remove: deleteVolume.bind(driver) };
}

const request: CreateVolumeRequest = { name: 'sg-restore', sizeGiB: 4, availabilityZone: '1' };

describe('azure createVolume and deleteVolume', () => {
  it('names the disk from the key and sends zone, size, source and tags in one PUT', async () => {
    const { fake, driver } = azureOnFake();
    const key = 'restore-7';
    const snapshot = `/subscriptions/${SUB}/resourceGroups/sg-rg/providers/Microsoft.Compute/snapshots/snap-1`;
    const made = await ops(driver).create(
      { ...request, fromSnapshotId: snapshot, volumeType: 'Premium_LRS', metadata: { owner: 'sg' } },
      { wait: WAIT, idempotencyKey: key },
    );
    const name = `hb-vol-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
    expect(made).toMatchObject({ name: 'sg-restore', status: 'available', availabilityZone: '1' });
    expect(made.id.endsWith(`/disks/${name}`)).toBe(true);
    const put = fake.seen.find((s) => s.method === 'PUT' && DISK_PUT.test(s.path));
    expect(put?.path.endsWith(`/disks/${name}`)).toBe(true);
    expect(put?.body).toMatchObject({
      zones: ['1'],
      sku: { name: 'Premium_LRS' },
      tags: { owner: 'sg', Name: 'sg-restore', 'hybrid-broker-idempotency-key': key },
      properties: {
        diskSizeGB: 4,
        creationData: { createOption: 'Copy', sourceResourceId: snapshot },
      },
    });
    // a repeat finds the disk by its name: nothing more is sent
    const again = await ops(driver).create(
      { ...request, fromSnapshotId: snapshot, volumeType: 'Premium_LRS', metadata: { owner: 'sg' } },
      { wait: WAIT, idempotencyKey: key },
    );
    expect(again.id).toBe(made.id);
    expect(fake.count('PUT', DISK_PUT)).toBe(1);
  });

  it('makes a platform image version id from a URN, and refuses `latest` before sending', async () => {
    const { fake, driver } = azureOnFake();
    await ops(driver).create(
      { ...request, fromImageId: 'Canonical:offer:sku:1.2.3' },
      { wait: WAIT, idempotencyKey: 'img-1' },
    );
    const put = fake.seen.find((s) => s.method === 'PUT' && DISK_PUT.test(s.path));
    expect(put?.body).toMatchObject({
      properties: {
        creationData: {
          createOption: 'FromImage',
          imageReference: {
            id: `/Subscriptions/${SUB}/Providers/Microsoft.Compute/Locations/westeurope/Publishers/Canonical/ArtifactTypes/VMImage/Offers/offer/Skus/sku/Versions/1.2.3`,
          },
        },
      },
    });
    await expect(
      ops(driver).create({ ...request, fromImageId: 'Canonical:offer:sku:latest' }, { wait: WAIT }),
    ).rejects.toMatchObject({ code: 'invalid-request', field: 'fromImageId' });
    expect(fake.count('PUT', DISK_PUT)).toBe(1);
  });

  it("checks Azure's tag limits and the driver's own tags before sending", async () => {
    const { fake, driver } = azureOnFake();
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, 'v']));
    await expect(ops(driver).create({ ...request, metadata: tags }, { wait: WAIT })).rejects.toMatchObject({
      code: 'invalid-request',
      field: 'metadata',
    });
    await expect(
      ops(driver).create({ ...request, metadata: { k: 'v'.repeat(257) } }, { wait: WAIT }),
    ).rejects.toMatchObject({ code: 'invalid-request', field: 'metadata.k' });
    await expect(
      ops(driver).create({ ...request, metadata: { name: 'x' } }, { wait: WAIT }),
    ).rejects.toMatchObject({ code: 'invalid-request', field: 'metadata.name' });
    await expect(ops(driver).create({ ...request, volumeType: 'gp3' }, { wait: WAIT })).rejects.toMatchObject(
      { code: 'invalid-request', field: 'volumeType' },
    );
    expect(fake.count('PUT', DISK_PUT)).toBe(0);
  });

  it('without a key each create is a new disk of a random name', async () => {
    const { driver } = azureOnFake();
    const a = await ops(driver).create(request, { wait: WAIT });
    const b = await ops(driver).create(request, { wait: WAIT });
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/\/disks\/hb-vol-[0-9a-f]{32}$/);
  });

  it('deletes and waits for the 404; a disk already gone is { deleted: false } with no DELETE sent', async () => {
    const { fake, driver } = azureOnFake();
    const made = await ops(driver).create(request, { wait: WAIT });
    expect(await ops(driver).remove({ volumeId: made.id }, { wait: WAIT })).toEqual({
      volumeId: made.id,
      deleted: true,
    });
    expect(fake.disks.size).toBe(0);
    expect(await ops(driver).remove({ volumeId: made.id }, { wait: WAIT })).toEqual({
      volumeId: made.id,
      deleted: false,
    });
    expect(fake.count('DELETE', DISK_PUT)).toBe(1);
  });

  it('a delete of a disk still being created waits its create out, then deletes it', async () => {
    const { fake, driver } = azureOnFake({ pollsToFinish: 3 });
    const made = await ops(driver).create(request, { wait: false, idempotencyKey: 'early-delete' });
    expect(made.status).toBe('creating');
    const deleted = await ops(driver).remove({ volumeId: made.id }, { wait: WAIT });
    expect(deleted.deleted).toBe(true);
    expect(fake.disks.size).toBe(0);
    // the DELETE went out only once the disk had left Updating
    const del = fake.seen.findIndex((s) => s.method === 'DELETE');
    const reads = fake.seen.slice(0, del).filter((s) => s.method === 'GET' && DISK_PUT.test(s.path));
    expect(reads.length).toBeGreaterThanOrEqual(3);
  });
});
