import { describe, expect, it } from 'vitest';
import { fakeTarget } from './support/fake-target.js';
import { guardNetwork } from './support/nock-guard.js';

guardNetwork();
const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };
const ATTACH = 'POST /v2.1/servers/{id}/os-volume_attachments';
const NOVA_DETACH = 'DELETE /v2.1/servers/{id}/os-volume_attachments/{id}';
// Long enough that the second call's prechecks and send (a few nock replies) fit well inside it.
const TRANSITION_MS = 300;

/** A running server and two volumes of its zone, on a fresh fake cloud. */
async function serverAndTwoVolumes() {
  const target = fakeTarget();
  const server = await target.driver.createServer(
    { name: 'sg', image: target.fixtures.image, flavor: target.fixtures.flavor, availabilityZone: 'az-1' },
    { wait: WAIT },
  );
  const attach = (volumeId: string) =>
    target.driver.attachVolume({ serverId: server.id, volumeId }, { wait: WAIT });
  const detach = (volumeId: string, force = false) =>
    target.driver.detachVolume({ serverId: server.id, volumeId }, { wait: WAIT, force });
  /** How many times `key` had been sent when `call` settled. */
  const sentBy = (key: string, call: Promise<unknown>) => call.then(() => target.cloud.count(key));
  const first = target.cloud.addVolume('az-1').id;
  const second = target.cloud.addVolume('az-1').id;
  return { target, first, second, attach, detach, sentBy };
}

describe('the per-server lock ends when Nova accepted the request, not after the wait', () => {
  it("sends a second attach to one server while the first's waits, on its own device", async () => {
    const { target, first, second, attach, sentBy } = await serverAndTwoVolumes();
    target.cloud.delays.attach = TRANSITION_MS;
    const a = attach(first);
    const b = attach(second);
    // With the whole-call lock, the second POST would go only after the first attach had landed.
    await expect(sentBy(ATTACH, a)).resolves.toBe(2);
    const [one, two] = await Promise.all([a, b]);
    expect(one.device).not.toBe(two.device);
  });

  it("sends a second detach from one server while the first's waits", async () => {
    const { target, first, second, attach, detach, sentBy } = await serverAndTwoVolumes();
    await Promise.all([attach(first), attach(second)]);
    target.cloud.delays.detach = TRANSITION_MS;
    const a = detach(first);
    const b = detach(second);
    await expect(sentBy(NOVA_DETACH, a)).resolves.toBe(2);
    await expect(b).resolves.toMatchObject({ detached: true });
  });

  it("lets an attach to the server go during a forced detach's grace for Nova", async () => {
    const { target, first, second, attach, detach, sentBy } = await serverAndTwoVolumes();
    await attach(first);
    target.cloud.delays.detach = TRANSITION_MS; // Nova's own detach finishes within the grace
    const forced = detach(first, true);
    const next = attach(second);
    await expect(sentBy(ATTACH, forced)).resolves.toBe(2);
    await expect(next).resolves.toMatchObject({ state: 'attached' });
  });
});
