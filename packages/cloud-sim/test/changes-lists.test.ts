import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim } from '../src/index.js';
import { call, FAST, login, type Session, waitFor } from './helpers/sim-client.js';

let sim: CloudSim;
let s: Session;
let now = Date.parse('2026-12-08T03:00:00Z');
beforeEach(async () => {
  now = Date.parse('2026-12-08T03:00:00Z');
  sim = await startCloudSim({
    regions: [{ name: 'r1', availabilityZones: ['az-a'] }],
    delays: FAST,
    now: () => now,
  });
  s = await login(sim);
});
afterEach(() => sim.stop());

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const v360 = { 'openstack-api-version': 'volume 3.60' };

describe('changes lists', () => {
  it('Nova: changes-since lists servers changed at or after it, deleted ones as DELETED, with the sim Date', async () => {
    const compute = s.url('compute');
    const images = await call('GET', `${s.url('image')}/v2/images`, { token: s.token });
    const body = {
      server: { name: 'a', imageRef: images.body.images[0].id, flavorRef: '2', networks: 'auto' },
    };
    const a = (await call('POST', `${compute}/servers`, { token: s.token, body })).body.server.id;
    const b = (await call('POST', `${compute}/servers`, { token: s.token, body })).body.server.id;
    await waitFor(
      () => call('GET', `${compute}/servers/${b}`, { token: s.token }),
      (r) => r.body.server.status === 'ACTIVE',
    );
    now += 60_000;
    const mark = now;
    await call('DELETE', `${compute}/servers/${a}`, { token: s.token });
    await waitFor(
      () => call('GET', `${compute}/servers/${a}`, { token: s.token }),
      (r) => r.status === 404,
    );
    const plain = await call('GET', `${compute}/servers/detail`, { token: s.token });
    expect(plain.body.servers.map((x: { id: string }) => x.id)).toEqual([b]);
    expect(Date.parse(plain.headers.get('date') ?? '')).toBe(now);
    const changes = await call('GET', `${compute}/servers/detail?changes-since=${iso(mark)}`, {
      token: s.token,
    });
    expect(changes.body.servers.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
      [a, 'DELETED'],
    ]);
    // the change log times each out-of-band change, for the watch bench
    expect(sim.changes.last(a, 'DELETED')).toBe(mark);
    const bad = await call('GET', `${compute}/servers/detail?changes-since=yesterday`, { token: s.token });
    expect(bad.status).toBe(400);
  });

  it('Cinder: updated_at=gt: at 3.60 lists volumes changed after it; before 3.60 it is refused', async () => {
    const volumes = `${s.url('volumev3', 'r1')}/volumes`;
    const make = () => call('POST', volumes, { token: s.token, body: { volume: { size: 1 } } });
    const a = (await make()).body.volume.id;
    const b = (await make()).body.volume.id;
    await waitFor(
      () => call('GET', `${volumes}/${b}`, { token: s.token }),
      (r) => r.body.volume.status === 'available',
    );
    now += 60_000;
    const mark = now - 1000;
    // deleting long enough for the lists below to see it so
    sim.openstack.delays.volumeDeleteMs = 300;
    await call('DELETE', `${volumes}/${a}`, { token: s.token });
    const changed = await call('GET', `${volumes}/detail?updated_at=gt:${iso(mark)}`, {
      token: s.token,
      headers: v360,
    });
    expect(changed.headers.get('openstack-api-version')).toBe('volume 3.60');
    expect(changed.body.volumes.map((v: { id: string }) => v.id)).toEqual([a]);
    const later = await call('GET', `${volumes}/detail?updated_at=gt:${iso(now)}`, {
      token: s.token,
      headers: v360,
    });
    expect(later.body.volumes).toEqual([]);
    const old = await call('GET', `${volumes}/detail?updated_at=gt:${iso(mark)}`, {
      token: s.token,
      headers: { 'openstack-api-version': 'volume 3.59' },
    });
    expect(old.status).toBe(400);
    await waitFor(
      () => call('GET', `${volumes}/${a}`, { token: s.token }),
      (r) => r.status === 404,
    );
    expect(sim.changes.last(a, 'deleted')).toBe(now);
  });
});
