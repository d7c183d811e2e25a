import { describe, expect, it } from 'vitest';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();
const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };
const NOVA_DETACH = 'DELETE /v2.1/servers/{id}/os-volume_attachments/{id}';
const FORCE = 'POST /v3/{project}/volumes/{id}/action';

async function attached(target: ReturnType<typeof fakeTarget>) {
  const server = await target.driver.createServer(
    { name: 'sg', image: target.fixtures.image, flavor: target.fixtures.flavor, availabilityZone: 'az-1' },
    { wait: WAIT },
  );
  const volume = target.cloud.addVolume('az-1');
  const attachment = await target.driver.attachVolume(
    { serverId: server.id, volumeId: volume.id },
    { wait: WAIT },
  );
  return { serverId: server.id, volumeId: volume.id, attachmentId: attachment.id };
}

describe('detachVolume with force on OpenStack', () => {
  it("lets Nova's own detach finish when the host answers: nothing is forced in Cinder", async () => {
    const target = fakeTarget();
    const { serverId, volumeId } = await attached(target);
    const result = await target.driver.detachVolume({ serverId, volumeId }, { wait: WAIT, force: true });
    expect(result).toMatchObject({ detached: true, volume: { status: 'available' } });
    expect(target.cloud.counts[NOVA_DETACH]).toBe(1);
    expect(target.cloud.forceDetachBodies).toEqual([]);
  });

  it('asks Nova first while Cinder says in-use, then, past the grace, sends os-force_detach with the attachment id', async () => {
    const target = fakeTarget();
    const { serverId, volumeId, attachmentId } = await attached(target);
    target.cloud.delays.detach = 60_000; // the host hangs: Nova's own detach would take a minute
    const wait = { ...WAIT, timeoutMs: 2_000 }; // a grace of 500 ms
    const started = Date.now();
    const result = await target.driver.detachVolume({ serverId, volumeId }, { wait, force: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(result).toMatchObject({ detached: true, volume: { status: 'available' } });
    expect(target.cloud.counts[NOVA_DETACH]).toBe(1);
    expect(target.cloud.forceDetachBodies).toEqual([{ 'os-force_detach': { attachment_id: attachmentId } }]);
  });

  it('does not ask Nova again for a detach already stuck in detaching', async () => {
    const target = fakeTarget();
    const { serverId, volumeId } = await attached(target);
    await target.fixtures.setVolumeStatus?.(volumeId, 'stuck');
    await target.driver.detachVolume({ serverId, volumeId }, { wait: WAIT, force: true });
    expect(target.cloud.counts[NOVA_DETACH]).toBeUndefined();
    expect(target.cloud.counts[FORCE]).toBe(1);
  });

  it("a 403 from Cinder's policy is forbidden naming the policy and the admin role, and not retried", async () => {
    const target = fakeTarget();
    const { serverId, volumeId } = await attached(target);
    target.cloud.delays.detach = 60_000;
    target.cloud.forceDetachForbidden = true;
    const error = await target.driver.detachVolume({ serverId, volumeId }, { wait: WAIT, force: true }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'forbidden', retryable: false });
    expect((error as Error).message).toMatch(/force_detach.*admin role/);
    expect(target.cloud.counts[FORCE]).toBe(1);
  });
});
