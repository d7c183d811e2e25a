import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim } from '../src/index.js';
import { cinderVolumeShape, novaErrorShape } from './helpers/openstack-shapes.js';
import { call, FAST, login, type Session, waitFor } from './helpers/sim-client.js';

let sim: CloudSim;
let s: Session;
let volumes: string;
beforeEach(async () => {
  sim = await startCloudSim({
    regions: [
      { name: 'r1', availabilityZones: ['az-a', 'az-b'] },
      { name: 'r2', volume: 'volumev2' },
    ],
    delays: FAST,
  });
  s = await login(sim);
  volumes = `${s.url('volumev3', 'r1')}/volumes`;
});
afterEach(() => sim.stop());

const create = (volume: Record<string, unknown>, url = volumes) =>
  call('POST', url, { token: s.token, body: { volume } });

describe('Cinder v3 volumes', () => {
  it('create: 202 creating with the documented shape, then available', async () => {
    sim.openstack.delays.volumeCreateMs = 400;
    const reply = await create({ size: 10, name: 'orig', availability_zone: 'az-b' });
    expect(reply.status).toBe(202);
    expect(reply.body.volume).toEqual(cinderVolumeShape);
    expect(reply.body.volume).toMatchObject({
      status: 'creating',
      size: 10,
      name: 'orig',
      availability_zone: 'az-b',
      multiattach: false,
    });
    const id = reply.body.volume.id;
    const done = await waitFor(
      () => call('GET', `${volumes}/${id}`, { token: s.token }),
      (r) => r.body.volume.status === 'available',
    );
    expect(done.body.volume).toEqual(cinderVolumeShape);
  });

  it('echoes the volume microversion and adds fields by version', async () => {
    const reply = await create({ size: 1 });
    const id = reply.body.volume.id;
    const v = await call('GET', `${volumes}/${id}`, {
      token: s.token,
      headers: { 'openstack-api-version': 'volume 3.65' },
    });
    expect(v.headers.get('openstack-api-version')).toBe('volume 3.65');
    expect(v.body.volume).toMatchObject({ consumes_quota: true, shared_targets: false, group_id: null });
  });

  it.each([
    ['a zero size', { size: 0 }],
    ['a string size', { size: '1' }],
    ['an unknown zone', { size: 1, availability_zone: 'nowhere' }],
  ])('400 badRequest for %s', async (_what, volume) => {
    const reply = await create(volume);
    expect(reply).toMatchObject({ status: 400, body: novaErrorShape('badRequest', 400) });
  });

  it('404 itemNotFound for an unknown volume', async () => {
    const reply = await call('GET', `${volumes}/00000000-0000-4000-8000-000000000000`, { token: s.token });
    expect(reply.body).toEqual({
      itemNotFound: { code: 404, message: 'Volume 00000000-0000-4000-8000-000000000000 could not be found.' },
    });
  });

  it('lists /volumes/detail with limit, marker and volumes_links', async () => {
    for (let i = 0; i < 3; i++) sim.openstack.createVolume({ region: 'r1', name: `v${i}` });
    const first = await call('GET', `${volumes}/detail?limit=2`, { token: s.token });
    expect(first.body.volumes).toHaveLength(2);
    for (const v of first.body.volumes) expect(v).toEqual(cinderVolumeShape);
    const next = first.body.volumes_links[0].href;
    const second = await call('GET', next, { token: s.token });
    expect(second.body.volumes).toHaveLength(1);
    expect(second.body.volumes_links).toBeUndefined();
    const summary = await call('GET', `${volumes}?name=v1`, { token: s.token });
    expect(summary.body.volumes).toEqual([{ id: expect.any(String), name: 'v1', links: expect.any(Array) }]);
  });

  it('delete: 202, then gone; in-use volumes cannot be deleted', async () => {
    const volume = sim.openstack.createVolume({ region: 'r1' });
    expect((await call('DELETE', `${volumes}/${volume.id}`, { token: s.token })).status).toBe(202);
    await waitFor(
      () => call('GET', `${volumes}/${volume.id}`, { token: s.token }),
      (r) => r.status === 404,
    );
    const busy = sim.openstack.createVolume({ region: 'r1', status: 'in-use' });
    const refused = await call('DELETE', `${volumes}/${busy.id}`, { token: s.token });
    expect(refused).toMatchObject({ status: 400, body: novaErrorShape('badRequest', 400) });
  });

  it('os-force_detach: 202 and available at once; 403 under the admin-only policy; other actions 400', async () => {
    const server = sim.openstack.createServer({ region: 'r1', availabilityZone: 'az-a' });
    const volume = sim.openstack.createVolume({ region: 'r1', availabilityZone: 'az-a' });
    const nova = `${s.url('compute', 'r1')}/servers/${server.id}/os-volume_attachments`;
    const attach = await call('POST', nova, {
      token: s.token,
      body: { volumeAttachment: { volumeId: volume.id } },
    });
    expect(attach.status).toBe(200);
    const inUse = await waitFor(
      () => call('GET', `${volumes}/${volume.id}`, { token: s.token }),
      (r) => r.body.volume.status === 'in-use',
    );
    const attachmentId: string = inUse.body.volume.attachments[0].attachment_id;
    const action = (body: unknown) =>
      call('POST', `${volumes}/${volume.id}/action`, { token: s.token, body });
    sim.openstack.cinder.forceDetachRequiresAdmin = true;
    const refused = await action({ 'os-force_detach': { attachment_id: attachmentId } });
    expect(refused).toMatchObject({ status: 403, body: novaErrorShape('forbidden', 403) });
    expect(refused.body.forbidden.message).toContain('volume_extension:volume_admin_actions:force_detach');
    sim.openstack.cinder.forceDetachRequiresAdmin = false;
    expect((await action({ 'os-force_detach': { attachment_id: 'no-such' } })).status).toBe(404);
    expect((await action({ 'os-force_detach': { device: 'x' } })).status).toBe(400);
    expect((await action({ 'os-reserve': {} })).status).toBe(400);
    expect((await action({ 'os-force_detach': { attachment_id: attachmentId } })).status).toBe(202);
    const after = await call('GET', `${volumes}/${volume.id}`, { token: s.token });
    expect(after.body.volume).toMatchObject({ status: 'available', attachments: [] });
    // Cinder's records only: Nova, whose host never took a DELETE, still lists the attachment.
    expect((await call('GET', `${nova}/${volume.id}`, { token: s.token })).status).toBe(200);
  });

  it('a volume of another region is not visible', async () => {
    const elsewhere = sim.openstack.createVolume({ region: 'r2' });
    expect((await call('GET', `${volumes}/${elsewhere.id}`, { token: s.token })).status).toBe(404);
  });
});

describe('Cinder v2 (volumev2 regions)', () => {
  it('serves the same volume API under /v2/', async () => {
    const v2 = `${s.url('volumev2', 'r2')}/volumes`;
    expect(v2).toContain('/v2/');
    const reply = await create({ size: 2, name: 'old-api' }, v2);
    expect(reply.status).toBe(202);
    const got = await waitFor(
      () => call('GET', `${v2}/${reply.body.volume.id}`, { token: s.token }),
      (r) => r.body.volume.status === 'available',
    );
    expect(got.body.volume).toEqual(cinderVolumeShape);
    expect(got.body.volume.availability_zone).toBe('r2');
  });
});
