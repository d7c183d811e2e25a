import { type BrokerError, isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();
const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };
const ATTACH = 'POST /v2.1/servers/{id}/os-volume_attachments';
const DETACH = 'DELETE /v2.1/servers/{id}/os-volume_attachments/{id}';

async function runningServer(target: ReturnType<typeof fakeTarget>, zone = 'az-1') {
  const { fixtures, driver } = target;
  return driver.createServer(
    { name: 'sg', image: fixtures.image, flavor: fixtures.flavor, availabilityZone: zone },
    { wait: WAIT },
  );
}

describe('attachVolume', () => {
  it('returns the attachment with Cinder attachment id and device once in-use', async () => {
    const target = fakeTarget();
    const server = await runningServer(target);
    const volume = target.cloud.addVolume('az-1');
    const attachment = await target.driver.attachVolume(
      { serverId: server.id, volumeId: volume.id },
      { wait: WAIT },
    );
    expect(attachment).toMatchObject({
      serverId: server.id,
      volumeId: volume.id,
      device: '/dev/vdb',
      state: 'attached',
    });
    expect(attachment.id).toBe(volume.attachments[0]?.attachmentId);
  });

  it('a volume that goes to error ends the attach wait at once', async () => {
    const target = fakeTarget();
    target.cloud.delays.attach = 60_000; // would stay attaching for a minute
    const server = await runningServer(target);
    const volume = target.cloud.addVolume('az-1');
    target.cloud.afterAttach = (v) => {
      v.forced = 'error_attaching';
    };
    const started = Date.now();
    const error = await target.driver
      .attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: { ...WAIT, timeoutMs: 60_000 } })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'provider-error')).toBe(true);
    expect((error as BrokerError).message).toMatch(/error_attaching/);
    expect((error as BrokerError).lastState).toMatchObject({ id: volume.id, status: 'error' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a cross-zone attach naming both zones, before asking Nova', async () => {
    const target = fakeTarget();
    const server = await runningServer(target, 'az-1');
    const volume = target.cloud.addVolume('az-2');
    const error = await target.driver
      .attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    expect((error as BrokerError).message).toMatch(/availability zone az-2 but server .* is in az-1/);
    expect(target.cloud.count(ATTACH)).toBe(0);
  });

  it('attaching to a server still building is invalid-state, without asking Nova', async () => {
    const target = fakeTarget();
    target.cloud.delays.build = 60_000;
    const server = await target.driver.createServer(
      { name: 'sg', image: target.fixtures.image, flavor: target.fixtures.flavor },
      { wait: false },
    );
    const volume = target.cloud.addVolume('az-1');
    const error = await target.driver
      .attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'invalid-state')).toBe(true);
    expect(target.cloud.count(ATTACH)).toBe(0);
  });
});

describe('detachVolume', () => {
  it('waits until the volume is available and the server gone from its attachments', async () => {
    const target = fakeTarget();
    const server = await runningServer(target);
    const volume = target.cloud.addVolume('az-1');
    await target.driver.attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: WAIT });
    const result = await target.driver.detachVolume(
      { serverId: server.id, volumeId: volume.id },
      { wait: WAIT },
    );
    expect(result.detached).toBe(true);
    expect(result.volume).toMatchObject({ status: 'available', attachments: [] });
    expect(target.cloud.count(DETACH)).toBe(1);
  });

  it('a volume not attached to that server is detached: false, and Nova is not asked', async () => {
    const target = fakeTarget();
    const server = await runningServer(target);
    const volume = target.cloud.addVolume('az-1');
    const result = await target.driver.detachVolume(
      { serverId: server.id, volumeId: volume.id },
      { wait: WAIT },
    );
    expect(result).toMatchObject({ detached: false, volume: { status: 'available' } });
    expect(target.cloud.count(DETACH)).toBe(0);
  });

  it("detach with wait: false returns Cinder's answer after the DELETE (detaching), not the read before it", async () => {
    const target = fakeTarget();
    target.cloud.delays.detach = 300;
    const server = await runningServer(target);
    const volume = target.cloud.addVolume('az-1');
    await target.driver.attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: WAIT });
    const result = await target.driver.detachVolume(
      { serverId: server.id, volumeId: volume.id },
      { wait: false },
    );
    expect(result).toMatchObject({
      detached: true,
      volume: { status: 'detaching', providerStatus: 'detaching' },
    });
    expect(target.cloud.count(DETACH)).toBe(1);
  });

  it('a detach already under way (detaching) is waited for, not sent again', async () => {
    const target = fakeTarget();
    target.cloud.delays.detach = 300;
    const server = await runningServer(target);
    const volume = target.cloud.addVolume('az-1');
    await target.driver.attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: WAIT });
    await target.driver.detachVolume({ serverId: server.id, volumeId: volume.id }, { wait: false });
    const result = await target.driver.detachVolume(
      { serverId: server.id, volumeId: volume.id },
      { wait: WAIT },
    );
    expect(result.detached).toBe(true);
    expect(result.volume.status).toBe('available');
    expect(target.cloud.count(DETACH)).toBe(1);
  });

  it('a missing server is not-found', async () => {
    const target = fakeTarget();
    const volume = target.cloud.addVolume('az-1');
    const error = await target.driver
      .detachVolume({ serverId: 'a0000000-0000-4000-8000-00000000dead', volumeId: volume.id }, { wait: WAIT })
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'not-found')).toBe(true);
  });

  it('an abort during the wait ends it at once', async () => {
    const target = fakeTarget();
    const server = await runningServer(target);
    const volume = target.cloud.addVolume('az-1');
    await target.driver.attachVolume({ serverId: server.id, volumeId: volume.id }, { wait: WAIT });
    target.cloud.delays.detach = 60_000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await target.driver
      .detachVolume(
        { serverId: server.id, volumeId: volume.id },
        { wait: { ...WAIT, timeoutMs: 60_000 }, signal: controller.signal },
      )
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'aborted')).toBe(true);
  });
});

describe('detachVolume confirmed on both sides', () => {
  const NOVA_SHOW = 'GET /v2.1/servers/{id}/os-volume_attachments/{id}';

  it('waits until Nova no longer lists the attachment, so a re-attach straight after succeeds', async () => {
    const target = fakeTarget();
    // Cinder says available 3 ms after the DELETE; Nova forgets the attachment 80 ms later.
    target.cloud.novaDetachLagMs = 80;
    const server = await runningServer(target);
    const volume = target.cloud.addVolume('az-1');
    const ref = { serverId: server.id, volumeId: volume.id };
    await target.driver.attachVolume(ref, { wait: WAIT });
    const started = Date.now();
    const detached = await target.driver.detachVolume(ref, { wait: WAIT });
    expect(detached).toMatchObject({ detached: true, volume: { status: 'available' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    expect(target.cloud.count(NOVA_SHOW)).toBeGreaterThan(1);
    const again = await target.driver.attachVolume(ref, { wait: WAIT });
    expect(again.state).toBe('attached');
  });

  it('without the lag one Nova read confirms it', async () => {
    const target = fakeTarget();
    const server = await runningServer(target);
    const volume = target.cloud.addVolume('az-1');
    const ref = { serverId: server.id, volumeId: volume.id };
    await target.driver.attachVolume(ref, { wait: WAIT });
    await target.driver.detachVolume(ref, { wait: WAIT });
    expect(target.cloud.novaLists(server.id, volume)).toBe(false);
    expect(target.cloud.count(NOVA_SHOW)).toBeGreaterThanOrEqual(1);
  });
});

describe('availabilityZonePolicy', () => {
  it('"cloud" leaves a cross-zone attach to Nova, which here allows it', async () => {
    const target = fakeTarget({ config: { availabilityZonePolicy: 'cloud' } });
    const server = await runningServer(target, 'az-1');
    const volume = target.cloud.addVolume('az-2');
    const attachment = await target.driver.attachVolume(
      { serverId: server.id, volumeId: volume.id },
      { wait: WAIT },
    );
    expect(attachment.state).toBe('attached');
    expect(target.cloud.count(ATTACH)).toBe(1);
  });

  it('a policy other than "same" or "cloud" is invalid-request naming the field', async () => {
    const error = await Promise.resolve()
      .then(() =>
        fakeTarget({ config: { availabilityZonePolicy: 'anywhere' } }).driver.getVolume({ volumeId: 'x' }),
      )
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'invalid-request')).toBe(true);
    expect((error as BrokerError).message).toMatch(/availabilityZonePolicy.*"same" or "cloud"/);
  });
});
