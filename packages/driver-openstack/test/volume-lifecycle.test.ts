import { describe, expect, it } from 'vitest';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();

const WAIT = { initialDelayMs: 1, maxDelayMs: 5, jitter: 0, timeoutMs: 5_000 };
const DELETE = 'DELETE /v3/{project}/volumes/{id}';
const REFUSED =
  'Invalid volume: Volume status must be available or error or error_restoring or error_extending or ' +
  'error_managing and must not be migrating, attached, belong to a group, have snapshots or be ' +
  'disassociated from snapshots after volume transfer.';

describe('openstack createVolume and deleteVolume beyond the contract', () => {
  it("Cinder's 400 for a volume with snapshots is invalid-state naming them", async () => {
    const { driver, cloud, queue } = fakeTarget();
    const volume = cloud.addVolume();
    queue.push({ key: DELETE, status: 400, body: { badRequest: { code: 400, message: REFUSED } } });
    queue.push({
      key: 'GET /v3/{project}/snapshots',
      status: 200,
      body: { snapshots: [{ id: 'b1a2c3d4-0000-4000-8000-000000000001', name: 'nightly' }] },
    });
    const error = await driver
      .deleteVolume?.({ volumeId: volume.id }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-state' });
    expect(String((error as Error).message)).toMatch(/b1a2c3d4-0000-4000-8000-000000000001 \(nightly\)/);
    expect(cloud.volumes.has(volume.id)).toBe(true);
  });

  it('metadata past Cinder limits, or the driver marker, is refused before anything is sent', async () => {
    const { driver, cloud } = fakeTarget();
    const request = { name: 'v', sizeGiB: 1, availabilityZone: 'az-1' };
    const long = await driver
      .createVolume?.({ ...request, metadata: { role: 'x'.repeat(256) } }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(long).toMatchObject({ code: 'invalid-request', field: 'metadata.role' });
    const marker = await driver
      .createVolume?.({ ...request, metadata: { 'hybrid-broker-idempotency-key': 'k' } }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(marker).toMatchObject({
      code: 'invalid-request',
      field: 'metadata.hybrid-broker-idempotency-key',
    });
    expect(cloud.count('POST /v3/{project}/volumes')).toBe(0);
  });
});
