import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim } from '../src/index.js';
import {
  cinderAttachmentShape,
  cinderVolumeShape,
  novaAttachmentShape,
  novaErrorShape,
} from './helpers/openstack-shapes.js';
import { call, FAST, login, type Session, waitFor } from './helpers/sim-client.js';

let sim: CloudSim;
let s: Session;
let compute: string;
let volumes: string;
beforeEach(async () => {
  sim = await startCloudSim({ regions: [{ name: 'r1', availabilityZones: ['az-a', 'az-b'] }], delays: FAST });
  s = await login(sim);
  compute = s.url('compute');
  volumes = `${s.url('volumev3')}/volumes`;
});
afterEach(() => sim.stop());

const attachUrl = (serverId: string) => `${compute}/servers/${serverId}/os-volume_attachments`;
const getVolume = (id: string) => call('GET', `${volumes}/${id}`, { token: s.token });
const attach = (serverId: string, volumeId: string, extra: Record<string, unknown> = {}, headers = {}) =>
  call('POST', attachUrl(serverId), {
    token: s.token,
    headers,
    body: { volumeAttachment: { volumeId, ...extra } },
  });

describe('attach and detach', () => {
  it('attach: 200 volumeAttachment, volume attaching -> in-use with attachments[], server lists the volume', async () => {
    sim.openstack.delays.attachMs = 400;
    const server = sim.openstack.createServer({ name: 'sg-client' });
    const volume = sim.openstack.createVolume({ sizeGiB: 10, name: 'orig' });
    const reply = await attach(server.id, volume.id);
    expect(reply.status).toBe(200);
    expect(reply.body.volumeAttachment).toEqual(novaAttachmentShape);
    expect(reply.body.volumeAttachment).toMatchObject({
      serverId: server.id,
      volumeId: volume.id,
      device: '/dev/vdb',
    });
    expect((await getVolume(volume.id)).body.volume.status).toBe('attaching');
    const inUse = await waitFor(
      () => getVolume(volume.id),
      (r) => r.body.volume.status === 'in-use',
    );
    expect(inUse.body.volume).toEqual(cinderVolumeShape);
    expect(inUse.body.volume.attachments).toEqual([cinderAttachmentShape]);
    expect(inUse.body.volume.attachments[0]).toMatchObject({ server_id: server.id, device: '/dev/vdb' });
    const srv = await call('GET', `${compute}/servers/${server.id}`, { token: s.token });
    expect(srv.body.server['os-extended-volumes:volumes_attached']).toEqual([{ id: volume.id }]);
    const list = await call('GET', attachUrl(server.id), { token: s.token });
    expect(list.body.volumeAttachments).toEqual([novaAttachmentShape]);
    const one = await call('GET', `${attachUrl(server.id)}/${volume.id}`, { token: s.token });
    expect(one.body.volumeAttachment.device).toBe('/dev/vdb');
  });

  it('detach: 202, volume detaching -> available, attachment gone', async () => {
    const server = sim.openstack.createServer();
    const volume = sim.openstack.createVolume();
    await attach(server.id, volume.id);
    await waitFor(
      () => getVolume(volume.id),
      (r) => r.body.volume.status === 'in-use',
    );
    sim.openstack.delays.detachMs = 400;
    const del = await call('DELETE', `${attachUrl(server.id)}/${volume.id}`, { token: s.token });
    expect(del.status).toBe(202);
    expect((await getVolume(volume.id)).body.volume.status).toBe('detaching');
    const back = await waitFor(
      () => getVolume(volume.id),
      (r) => r.body.volume.status === 'available',
    );
    expect(back.body.volume.attachments).toEqual([]);
    expect((await call('GET', attachUrl(server.id), { token: s.token })).body.volumeAttachments).toEqual([]);
  });

  it('assigns the next device, honours a requested free one', async () => {
    const server = sim.openstack.createServer();
    const [a, b] = [sim.openstack.createVolume(), sim.openstack.createVolume()];
    expect((await attach(server.id, a.id, { device: '/dev/vdf' })).body.volumeAttachment.device).toBe(
      '/dev/vdf',
    );
    expect((await attach(server.id, b.id)).body.volumeAttachment.device).toBe('/dev/vdb');
  });

  it('shows attachment_id and bdm_uuid instead of id from microversion 2.89', async () => {
    const server = sim.openstack.createServer();
    const volume = sim.openstack.createVolume();
    const reply = await attach(server.id, volume.id, {}, { 'openstack-api-version': 'compute 2.89' });
    expect(reply.body.volumeAttachment.id).toBeUndefined();
    expect(reply.body.volumeAttachment).toMatchObject({
      attachment_id: expect.any(String),
      bdm_uuid: expect.any(String),
    });
  });

  it('attaching across availability zones fails 400 like Nova with cross_az_attach=False', async () => {
    const server = sim.openstack.createServer({ availabilityZone: 'az-a' });
    const volume = sim.openstack.createVolume({ availabilityZone: 'az-b' });
    const reply = await attach(server.id, volume.id);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual(novaErrorShape('badRequest', 400));
    expect(reply.body.badRequest.message).toBe(
      `Invalid volume: Instance ${server.id} and volume ${volume.id} are not in the same availability_zone. Instance is in az-a. Volume is in az-b`,
    );
    expect(sim.openstack.getVolume(volume.id)?.status).toBe('available');
  });

  it('a volume that is not available fails 400 "status must be available"', async () => {
    const server = sim.openstack.createServer();
    const volume = sim.openstack.createVolume({ status: 'in-use' });
    const reply = await attach(server.id, volume.id);
    expect(reply.status).toBe(400);
    expect(reply.body.badRequest.message).toBe(
      `Invalid volume: volume '${volume.id}' status must be 'available'. Currently in 'in-use'`,
    );
  });

  it('a multiattach volume can be attached to a second server while in-use', async () => {
    const [one, two] = [sim.openstack.createServer(), sim.openstack.createServer()];
    const volume = sim.openstack.createVolume({ multiattach: true });
    await attach(one.id, volume.id);
    await waitFor(
      () => getVolume(volume.id),
      (r) => r.body.volume.status === 'in-use',
    );
    expect((await attach(two.id, volume.id)).status).toBe(200);
    const both = await waitFor(
      () => getVolume(volume.id),
      (r) => r.body.volume.attachments.length === 2,
    );
    expect(both.body.volume).toMatchObject({ status: 'in-use', multiattach: true });
  });

  it('409 conflictingRequest while the server is building', async () => {
    const server = sim.openstack.createServer({ status: 'BUILD' });
    const volume = sim.openstack.createVolume();
    const reply = await attach(server.id, volume.id);
    expect(reply).toMatchObject({ status: 409, body: novaErrorShape('conflictingRequest', 409) });
  });

  it('404 for an unknown volume or server, 404 detaching a volume that is not attached', async () => {
    const server = sim.openstack.createServer();
    const volume = sim.openstack.createVolume();
    expect((await attach(server.id, '00000000-0000-4000-8000-000000000000')).body).toEqual(
      novaErrorShape('itemNotFound', 404),
    );
    expect((await attach('00000000-0000-4000-8000-000000000000', volume.id)).status).toBe(404);
    const detach = await call('DELETE', `${attachUrl(server.id)}/${volume.id}`, { token: s.token });
    expect(detach).toMatchObject({ status: 404, body: novaErrorShape('itemNotFound', 404) });
  });

  it('400 detaching while the volume is still attaching', async () => {
    sim.openstack.delays.attachMs = 400;
    const server = sim.openstack.createServer();
    const volume = sim.openstack.createVolume();
    await attach(server.id, volume.id);
    const detach = await call('DELETE', `${attachUrl(server.id)}/${volume.id}`, { token: s.token });
    expect(detach.status).toBe(400);
  });

  it('400 for a body without volumeAttachment or with malformed JSON', async () => {
    const server = sim.openstack.createServer();
    expect((await call('POST', attachUrl(server.id), { token: s.token, body: {} })).status).toBe(400);
    const malformed = await call('POST', attachUrl(server.id), { token: s.token, raw: 'nope' });
    expect(malformed).toMatchObject({ status: 400, body: novaErrorShape('badRequest', 400) });
  });

  it('deleting a server detaches its volumes', async () => {
    const server = sim.openstack.createServer();
    const volume = sim.openstack.createVolume();
    await attach(server.id, volume.id);
    await waitFor(
      () => getVolume(volume.id),
      (r) => r.body.volume.status === 'in-use',
    );
    await call('DELETE', `${compute}/servers/${server.id}`, { token: s.token });
    await waitFor(
      () => getVolume(volume.id),
      (r) => r.body.volume.status === 'available',
    );
  });
});
