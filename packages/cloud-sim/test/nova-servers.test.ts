import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CloudSim, startCloudSim } from '../src/index.js';
import { novaAddressShape, novaErrorShape, novaServerShape } from './helpers/openstack-shapes.js';
import { call, FAST, login, type Session, waitFor } from './helpers/sim-client.js';

let sim: CloudSim;
let s: Session;
let compute: string;
let imageId: string;
beforeEach(async () => {
  sim = await startCloudSim({ regions: [{ name: 'r1', availabilityZones: ['az-a', 'az-b'] }], delays: FAST });
  s = await login(sim);
  compute = s.url('compute');
  const images = await call('GET', `${s.url('image')}/v2/images?name=cirros-0.6.2-x86_64-disk`, {
    token: s.token,
  });
  imageId = images.body.images[0].id;
});
afterEach(() => sim.stop());

function createServer(server: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return call('POST', `${compute}/servers`, {
    token: s.token,
    headers,
    body: { server: { name: 'sg-client-1', imageRef: imageId, flavorRef: '2', networks: 'auto', ...server } },
  });
}

const getServer = (id: string, headers: Record<string, string> = {}) =>
  call('GET', `${compute}/servers/${id}`, { token: s.token, headers });

describe('POST /servers', () => {
  it('returns 202 with id, links, adminPass and a Location header', async () => {
    const reply = await createServer();
    expect(reply.status).toBe(202);
    expect(reply.body.server).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        links: expect.any(Array),
        adminPass: expect.any(String),
      }),
    );
    expect(reply.headers.get('location')).toBe(`${compute}/servers/${reply.body.server.id}`);
  });

  it('goes BUILD -> ACTIVE after the delay, with the documented fields, AZ, addresses and metadata', async () => {
    sim.openstack.delays.serverBuildMs = 400;
    const created = await createServer({
      availability_zone: 'az-b',
      metadata: { role: 'sg-client' },
      user_data: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
      key_name: 'ops',
      security_groups: [{ name: 'sg' }],
    });
    const id = created.body.server.id;
    const building = await getServer(id);
    expect(building.body.server).toEqual(novaServerShape);
    expect(building.body.server).toMatchObject({
      status: 'BUILD',
      'OS-EXT-STS:vm_state': 'building',
      addresses: {},
    });
    const active = await waitFor(
      () => getServer(id),
      (r) => r.body.server.status === 'ACTIVE',
    );
    expect(active.body.server).toEqual(novaServerShape);
    expect(active.body.server).toMatchObject({
      name: 'sg-client-1',
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-AZ:availability_zone': 'az-b',
      metadata: { role: 'sg-client' },
      key_name: 'ops',
      security_groups: [{ name: 'sg' }],
      image: { id: imageId },
      flavor: { id: '2' },
    });
    expect(active.body.server.addresses.private[0]).toEqual(novaAddressShape);
  });

  it('defaults the availability zone to the region first zone', async () => {
    const created = await createServer();
    expect((await getServer(created.body.server.id)).body.server['OS-EXT-AZ:availability_zone']).toBe('az-a');
  });

  it.each([
    ['an unknown image', { imageRef: 'nope' }, 'Can not find requested image'],
    ['an unknown flavor', { flavorRef: '999' }, 'Invalid flavorRef provided.'],
    [
      'an unknown zone',
      { availability_zone: 'elsewhere' },
      'The requested availability zone is not available',
    ],
    ['user_data that is not base64', { user_data: 'not base64!' }, expect.stringContaining('base64')],
    ['a missing name', { name: undefined }, expect.stringContaining('name')],
    ['an unknown network', { networks: [{ uuid: 'nope' }] }, 'Network nope could not be found.'],
  ])('400 badRequest for %s', async (_what, patch, message) => {
    const reply = await createServer(patch);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ badRequest: { code: 400, message } });
  });

  it('400 for malformed JSON, never a crash', async () => {
    const reply = await call('POST', `${compute}/servers`, {
      token: s.token,
      raw: '{"server":',
      headers: { 'content-type': 'application/json' },
    });
    expect(reply).toMatchObject({ status: 400, body: novaErrorShape('badRequest', 400) });
    expect((await call('GET', `${compute}/servers`, { token: s.token })).status).toBe(200);
  });

  it('requires networks from microversion 2.37', async () => {
    const reply = await createServer({ networks: undefined }, { 'openstack-api-version': 'compute 2.37' });
    expect(reply.status).toBe(400);
  });

  it('ends in ERROR with a fault when an error-state fault targets the create', async () => {
    sim.faults.add({
      method: 'POST',
      path: '/compute/{region}/v2.1/{project}/servers',
      action: { type: 'error-state' },
    });
    const created = await createServer();
    const failed = await waitFor(
      () => getServer(created.body.server.id),
      (r) => r.body.server.status !== 'BUILD',
    );
    expect(failed.body.server).toMatchObject({ status: 'ERROR', 'OS-EXT-STS:vm_state': 'error' });
    expect(failed.body.server.fault).toEqual(
      expect.objectContaining({ code: 500, message: expect.stringContaining('No valid host') }),
    );
  });
});

describe('GET /servers/{id} and DELETE', () => {
  it('404 itemNotFound for an unknown server', async () => {
    const reply = await getServer('00000000-0000-4000-8000-000000000000');
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({
      itemNotFound: {
        code: 404,
        message: 'Instance 00000000-0000-4000-8000-000000000000 could not be found.',
      },
    });
  });

  it('DELETE answers 204, the server shows DELETED, then 404 after the delay', async () => {
    sim.openstack.delays.serverDeleteMs = 400;
    const id = (await createServer()).body.server.id;
    expect((await call('DELETE', `${compute}/servers/${id}`, { token: s.token })).status).toBe(204);
    expect((await getServer(id)).body.server.status).toBe('DELETED');
    await waitFor(
      () => getServer(id),
      (r) => r.status === 404,
    );
  });

  it('os-stop and os-start move between SHUTOFF and ACTIVE; a wrong state is 409 conflictingRequest', async () => {
    const id = (await createServer()).body.server.id;
    const early = await call('POST', `${compute}/servers/${id}/action`, {
      token: s.token,
      body: { 'os-start': null },
    });
    expect(early).toMatchObject({ status: 409, body: novaErrorShape('conflictingRequest', 409) });
    await waitFor(
      () => getServer(id),
      (r) => r.body.server.status === 'ACTIVE',
    );
    expect(
      (await call('POST', `${compute}/servers/${id}/action`, { token: s.token, body: { 'os-stop': null } }))
        .status,
    ).toBe(202);
    // The task shows at once, as Nova sets it before it answers; the stop lands after serverPowerMs.
    expect((await getServer(id)).body.server).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:task_state': 'powering-off',
    });
    const again = await call('POST', `${compute}/servers/${id}/action`, {
      token: s.token,
      body: { 'os-stop': null },
    });
    expect(again).toMatchObject({ status: 409, body: novaErrorShape('conflictingRequest', 409) });
    await waitFor(
      () => getServer(id),
      (r) => r.body.server.status === 'SHUTOFF',
    );
    expect((await getServer(id)).body.server).toMatchObject({
      status: 'SHUTOFF',
      'OS-EXT-STS:vm_state': 'stopped',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 4,
    });
  });

  it('reboot shows REBOOT (SOFT) or HARD_REBOOT with its task, then ACTIVE; a bad type is 400', async () => {
    const id = (await createServer()).body.server.id;
    await waitFor(
      () => getServer(id),
      (r) => r.body.server.status === 'ACTIVE',
    );
    const action = (body: unknown) =>
      call('POST', `${compute}/servers/${id}/action`, { token: s.token, body });
    expect((await action({ reboot: { type: 'sideways' } })).status).toBe(400);
    expect((await action({ reboot: { type: 'SOFT' } })).status).toBe(202);
    expect((await getServer(id)).body.server).toMatchObject({
      status: 'REBOOT',
      'OS-EXT-STS:task_state': 'rebooting',
    });
    // A hard reboot may overtake a soft one.
    expect((await action({ reboot: { type: 'HARD' } })).status).toBe(202);
    expect((await getServer(id)).body.server).toMatchObject({ status: 'HARD_REBOOT' });
    await waitFor(
      () => getServer(id),
      (r) => r.body.server.status === 'ACTIVE',
    );
    expect((await getServer(id)).body.server['OS-EXT-STS:task_state']).toBeNull();
  });
});

describe('GET /servers and /servers/detail', () => {
  it('pages with limit and marker, with servers_links next while pages are full', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createServer({ name: `s${i}` })).body.server.id);
    const seen: string[] = [];
    let url: string | undefined = `${compute}/servers/detail?limit=2`;
    let pages = 0;
    while (url) {
      const page = await call('GET', url, { token: s.token });
      expect(page.status).toBe(200);
      for (const server of page.body.servers) {
        expect(server).toEqual(novaServerShape);
        seen.push(server.id);
      }
      url = page.body.servers_links?.find((l: { rel: string }) => l.rel === 'next')?.href;
      pages++;
    }
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('summary list has id, name and links; name filters', async () => {
    await createServer({ name: 'alpha' });
    await createServer({ name: 'beta' });
    const reply = await call('GET', `${compute}/servers?name=^alp`, { token: s.token });
    expect(reply.body.servers).toEqual([{ id: expect.any(String), name: 'alpha', links: expect.any(Array) }]);
    expect(reply.body.servers_links).toBeUndefined();
  });

  it('400 for an unknown marker or a bad limit', async () => {
    expect((await call('GET', `${compute}/servers?marker=nope`, { token: s.token })).status).toBe(400);
    expect((await call('GET', `${compute}/servers?limit=x`, { token: s.token })).status).toBe(400);
  });
});

describe('microversions', () => {
  it('echoes the requested compute microversion in both headers', async () => {
    const reply = await call('GET', `${compute}/servers`, {
      token: s.token,
      headers: { 'openstack-api-version': 'compute 2.79' },
    });
    expect(reply.headers.get('openstack-api-version')).toBe('compute 2.79');
    expect(reply.headers.get('x-openstack-nova-api-version')).toBe('2.79');
    const legacy = await call('GET', `${compute}/servers`, {
      token: s.token,
      headers: { 'x-openstack-nova-api-version': '2.60' },
    });
    expect(legacy.headers.get('openstack-api-version')).toBe('compute 2.60');
    const none = await call('GET', `${compute}/servers`, { token: s.token });
    expect(none.headers.get('openstack-api-version')).toBe('compute 2.1');
  });

  it('406 for a version out of range, 400 for a malformed one', async () => {
    const high = await call('GET', `${compute}/servers`, {
      token: s.token,
      headers: { 'openstack-api-version': 'compute 2.999' },
    });
    expect(high.status).toBe(406);
    const bad = await call('GET', `${compute}/servers`, {
      token: s.token,
      headers: { 'openstack-api-version': 'compute two' },
    });
    expect(bad.status).toBe(400);
  });

  it('embeds the flavor from 2.47', async () => {
    const id = (await createServer()).body.server.id;
    const reply = await getServer(id, { 'openstack-api-version': 'compute 2.47' });
    expect(reply.body.server.flavor).toMatchObject({ original_name: 'm1.small', vcpus: 1, ram: 2048 });
  });

  it('project id in the URL must match the token', async () => {
    const other = compute.replace(sim.credentials.projectId, 'f'.repeat(32));
    const reply = await call('GET', `${other}/servers`, { token: s.token });
    expect(reply.status).toBe(400);
    expect(reply.body.badRequest.message).toContain("doesn't match Context's project_id");
  });
});

describe('flavors and images', () => {
  it('lists flavors and resolves one by id', async () => {
    const list = await call('GET', `${compute}/flavors/detail`, { token: s.token });
    const small = list.body.flavors.find((f: { name: string }) => f.name === 'm1.small');
    expect(small).toMatchObject({ id: '2', vcpus: 1, ram: 2048, disk: 20 });
    expect((await call('GET', `${compute}/flavors/2`, { token: s.token })).body.flavor.name).toBe('m1.small');
    expect((await call('GET', `${compute}/flavors/999`, { token: s.token })).status).toBe(404);
  });

  it('Glance v2 resolves images by name; the Nova proxy is gone from 2.36', async () => {
    const glance = await call('GET', `${s.url('image')}/v2/images?name=sg-client`, { token: s.token });
    expect(glance.body.images).toHaveLength(1);
    expect(glance.body.images[0]).toMatchObject({
      name: 'sg-client',
      status: 'active',
      visibility: 'public',
    });
    expect((await call('GET', `${compute}/images`, { token: s.token })).body.images.length).toBeGreaterThan(
      0,
    );
    const gone = await call('GET', `${compute}/images`, {
      token: s.token,
      headers: { 'openstack-api-version': 'compute 2.36' },
    });
    expect(gone.status).toBe(404);
  });
});
