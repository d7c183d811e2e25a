import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim } from '../src/index.js';
import { call, FAST, login } from './helpers/sim-client.js';

let sim: CloudSim;
beforeEach(async () => {
  sim = await startCloudSim({ regions: 2, delays: FAST });
});
afterEach(() => sim.stop());

describe('route counts', () => {
  it('counts per method and route pattern, ids normalized, admin calls excluded', async () => {
    const s = await login(sim);
    const a = sim.openstack.createServer({ region: 'RegionOne' });
    const b = sim.openstack.createServer({ region: 'RegionTwo' });
    await call('GET', `${s.url('compute', 'RegionOne')}/servers/${a.id}`, { token: s.token });
    await call('GET', `${s.url('compute', 'RegionTwo')}/servers/${b.id}`, { token: s.token });
    await call('GET', `${sim.url}/_sim/counts`);
    expect(sim.counts()).toEqual({
      'POST /v3/auth/tokens': 1,
      'GET /compute/{region}/v2.1/{project}/servers/{id}': 2,
    });
    expect(sim.count('GET /compute/{region}/v2.1/{project}/servers/{id}')).toBe(2);
  });

  it('counts failed and faulted calls too, and unknown routes are not counted', async () => {
    sim.faults.add({ path: '/v3/auth/tokens', times: 1, action: { type: 'unavailable' } });
    await call('POST', `${sim.keystoneUrl}/auth/tokens`, { body: {} });
    await call('GET', `${sim.url}/no/such/route`);
    expect(sim.counts()).toEqual({ 'POST /v3/auth/tokens': 1 });
  });

  it('resetCounts and DELETE /_sim/counts zero them; GET /_sim/counts reports them', async () => {
    await login(sim);
    expect((await call('GET', `${sim.url}/_sim/counts`)).body).toEqual({
      counts: { 'POST /v3/auth/tokens': 1 },
      total: 1,
    });
    sim.resetCounts();
    expect(sim.counts()).toEqual({});
    await login(sim);
    await call('DELETE', `${sim.url}/_sim/counts`);
    expect(sim.counts()).toEqual({});
  });
});
