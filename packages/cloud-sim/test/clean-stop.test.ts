import { describe, expect, it } from 'vitest';
import { startCloudSim } from '../src/index.js';
import { call, login, type Session } from './helpers/sim-client.js';

// In a file of its own so no other test's sockets or timers blur the handle counts.

const WATCHED = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(WATCHED.map((k) => [k, 0]));
  for (const kind of process.getActiveResourcesInfo())
    if (kind in counts) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

async function firstImage(s: Session): Promise<string> {
  const reply = await call('GET', `${s.url('image')}/v2/images`, { token: s.token });
  return reply.body.images[0].id;
}

describe('stop', () => {
  it('stop closes keep-alive connections and clears pending timers, leaving no handles', async () => {
    const before = handleCounts();
    const sim = await startCloudSim({ delays: { serverBuildMs: 60_000, volumeCreateMs: 60_000 } });
    const s = await login(sim);
    const created = await call('POST', `${s.url('compute')}/servers`, {
      token: s.token,
      body: { server: { name: 'x', imageRef: await firstImage(s), flavorRef: '1' } },
    });
    expect(created.status).toBe(202);
    sim.faults.add({ path: '/v3', action: { type: 'latency', ms: 60_000 } });
    void fetch(sim.keystoneUrl).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    const during = handleCounts();
    expect(during.TCPServerWrap).toBeGreaterThan(before.TCPServerWrap ?? 0);
    // Build timer + latency timer (unref'd, so only the simulator can report them).
    expect(sim.pendingTimers()).toBe(2);
    await sim.stop();
    await sim.stop();
    expect(sim.pendingTimers()).toBe(0);
    const deadline = Date.now() + 1000;
    let after = handleCounts();
    while (Date.now() < deadline && WATCHED.some((k) => (after[k] ?? 0) > (before[k] ?? 0))) {
      await new Promise((r) => setImmediate(r));
      after = handleCounts();
    }
    for (const kind of WATCHED) expect(after[kind], kind).toBeLessThanOrEqual(before[kind] ?? 0);
    await expect(fetch(sim.keystoneUrl)).rejects.toThrow();
  });
});
