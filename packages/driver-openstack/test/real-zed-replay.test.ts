/**
 * The driver over bodies recorded from a real Nova 26 / Cinder 21 (see
 * fixtures/real-zed/README.md), replayed by nock: attach at 2.1 and 2.79 with
 * the real `/dev/sdb` device and Cinder attachment shape, and a detach that
 * keeps waiting while Nova still lists the attachment after Cinder's `available`.
 */
import { readFileSync } from 'node:fs';
import { createDriver } from '@hybrid-broker/core';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { openstackDriver } from '../src/index.js';
import { guardNetwork } from './support/nock-guard.js';
import { type Recorded, recorded } from './support/real-zed.js';

guardNetwork();

const KEYSTONE = 'http://keystone.replay:5000';
const NOVA = 'http://nova.replay:8774';
const CINDER = 'http://cinder.replay:8776';
const WAIT = { timeoutMs: 5_000, initialDelayMs: 1, maxDelayMs: 5, jitter: 0 };

/** The recorded token, valid for an hour, its catalog pointed at the replay hosts. */
function tokenBody() {
  const { token } = JSON.parse(
    readFileSync(new URL('fixtures/real-zed/00-keystone-token.response.json', import.meta.url), 'utf8'),
  );
  const catalog = token.catalog.map((s: { endpoints: { url: string }[] }) => ({
    ...s,
    endpoints: s.endpoints.map((e) => ({
      ...e,
      region_id: 'RegionOne',
      region: 'RegionOne',
      url: e.url
        .replace('http://127.0.0.1:8774', NOVA)
        .replace('http://127.0.0.1:8776', CINDER)
        .replace('http://127.0.0.1:5000', KEYSTONE),
    })),
  }));
  return { token: { ...token, catalog, expires_at: new Date(Date.now() + 3_600_000).toISOString() } };
}

const reply = (r: Recorded) => [r.response.status, r.response.body ?? '', r.response.headers] as const;

/**
 * The real server and volume, moving as they moved on the real stack: available, then in-use
 * after the attach POST; after the DELETE Cinder says available at once while Nova lists the
 * attachment for `novaLingers` more reads (what the real Nova does for a moment).
 */
function replayStack(mv: '2.1' | '2.79', novaLingers: number) {
  const server = recorded(mv === '2.1' ? '06c-nova-server-show-mv21' : '06-nova-server-show-active');
  const available = recorded('08-cinder-volume-show-available');
  const inUse = recorded('10b-cinder-volume-show-in-use-mv21');
  const attach = recorded(mv === '2.1' ? '10a-nova-attach-mv21' : '20a-nova-attach-mv279');
  const show = recorded(mv === '2.1' ? '10e-nova-attachment-show-mv21' : '20e-nova-attachment-show-mv279');
  const detach = recorded('10g-nova-detach-mv21');
  const missing = recorded('71-nova-attachment-show-missing');
  const srv = (server.response.body as { server: { id: string } }).server.id;
  const vol = (available.response.body as { volume: { id: string } }).volume.id;
  const project = (tokenBody().token as { project: { id: string } }).project.id;
  let phase: 'available' | 'in-use' = 'available';
  let novaReadsLeft = 0;
  const reads = { novaShow: 0 };
  nock(KEYSTONE)
    .post('/v3/auth/tokens')
    .reply(201, tokenBody(), { 'x-subject-token': 'gAAAAreplay' })
    .persist();
  nock(NOVA)
    .get(`/v2.1/servers/${srv}`)
    .reply(() => reply(server))
    .persist()
    .post(`/v2.1/servers/${srv}/os-volume_attachments`)
    .reply(() => {
      phase = 'in-use';
      return reply(attach);
    })
    .persist()
    .get(`/v2.1/servers/${srv}/os-volume_attachments/${vol}`)
    .reply(() => {
      reads.novaShow++;
      if (phase === 'in-use') return reply(show);
      if (novaReadsLeft > 0) {
        novaReadsLeft--;
        return reply(show);
      }
      return reply(missing);
    })
    .persist()
    .delete(`/v2.1/servers/${srv}/os-volume_attachments/${vol}`)
    .reply(() => {
      phase = 'available';
      novaReadsLeft = novaLingers;
      return reply(detach);
    })
    .persist();
  nock(CINDER)
    .get(`/v3/${project}/volumes/${vol}`)
    .reply(() => reply(phase === 'in-use' ? inUse : available))
    .persist();
  const driver = createDriver(openstackDriver, {
    auth: {
      method: 'password',
      url: `${KEYSTONE}/v3`,
      username: 'admin',
      userDomainName: 'Default',
      password: 'replay-password',
      projectName: 'admin',
      projectDomainName: 'Default',
    },
    region: 'RegionOne',
    novaMicroversion: mv,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  return { driver, srv, vol, reads };
}

describe('the driver over recorded real Zed bodies', () => {
  for (const mv of ['2.1', '2.79'] as const) {
    it(`attaches at ${mv} and reports the real device and Cinder attachment id`, async () => {
      const { driver, srv, vol } = replayStack(mv, 0);
      const attachment = await driver.attachVolume({ serverId: srv, volumeId: vol }, { wait: WAIT });
      const cinder = (
        recorded('10b-cinder-volume-show-in-use-mv21').response.body as {
          volume: { attachments: { attachment_id: string }[] };
        }
      ).volume.attachments[0];
      expect(attachment).toMatchObject({
        serverId: srv,
        volumeId: vol,
        state: 'attached',
        device: '/dev/sdb',
      });
      expect(attachment.id).toBe(cinder?.attachment_id);
    });
  }

  it('a detach waits out the reads in which Nova still lists the attachment', async () => {
    const { driver, srv, vol, reads } = replayStack('2.79', 3);
    await driver.attachVolume({ serverId: srv, volumeId: vol }, { wait: WAIT });
    const before = reads.novaShow;
    const result = await driver.detachVolume({ serverId: srv, volumeId: vol }, { wait: WAIT });
    expect(result).toMatchObject({ detached: true, volume: { status: 'available', attachments: [] } });
    // Three reads that still list it, then the 404 that ends the wait.
    expect(reads.novaShow - before).toBe(4);
  });

  it('the real server and volume bodies map to the normalized types', async () => {
    const { driver, srv, vol } = replayStack('2.79', 0);
    const server = await driver.getServer({ serverId: srv });
    expect(server).toMatchObject({
      id: srv,
      status: 'running',
      providerStatus: 'ACTIVE',
      availabilityZone: 'nova',
    });
    const volume = await driver.getVolume({ volumeId: vol });
    expect(volume).toMatchObject({ id: vol, status: 'available', availabilityZone: 'nova', attachments: [] });
  });
});
