import { describe, expect, it } from 'vitest';
import { fastCinderVolume } from '../src/cinder/cinder-guards.js';
import { cinderVolumeSchema } from '../src/cinder/cinder-schemas.js';
import { fastNovaServer, fastNovaVolumeAttachment } from '../src/nova/nova-guards.js';
import { novaServerSchema, novaVolumeAttachmentSchema } from '../src/nova/nova-schemas.js';
import { serverView, volumeView } from './support/fake-views.js';

const server = serverView(
  {
    id: 's1',
    name: 'sg',
    zone: 'az-1',
    imageId: 'i',
    flavorId: '1',
    metadata: { a: 'b' },
    readyAt: 0,
    created: '2017-02-14T19:23:58Z',
    fault: 'No valid host',
  },
  'ERROR',
);
const volume = volumeView(
  {
    id: 'v1',
    name: 'vol',
    zone: 'az-1',
    size: 10,
    attachments: [{ serverId: 's1', attachmentId: 'a1', device: '/dev/vdb', readyAt: 0 }],
  },
  'in-use',
);

describe('the fast body checks accept exactly what the zod schemas accept', () => {
  it('documented bodies pass both and read the same', () => {
    expect(fastNovaServer(server)).toEqual(novaServerSchema.parse(server));
    expect(fastCinderVolume(volume)).toEqual(cinderVolumeSchema.parse(volume));
    const { name: _n, ...nameless } = server;
    expect(fastNovaServer(nameless)).toEqual(novaServerSchema.parse(nameless));
    const { attachments: _a, ...bare } = volume;
    expect(fastCinderVolume(bare)).toEqual(cinderVolumeSchema.parse(bare));
  });

  it.each([
    ['status missing', { ...server, status: undefined }],
    ['metadata value not a string', { ...server, metadata: { a: 1 } }],
    ['address without addr', { ...server, addresses: { private: [{ version: 4 }] } }],
    ['image id not a string', { ...server, image: { id: 7 } }],
    ['flavor a string', { ...server, flavor: 'm1.small' }],
  ])('a server with %s is refused by both', (_what, body) => {
    expect(fastNovaServer(body)).toBeUndefined();
    expect(novaServerSchema.safeParse(body).success).toBe(false);
  });

  it('an unused field of an unexpected type (fault.code as a string) is read by both', () => {
    const body = { ...server, fault: { code: '500', message: 'No valid host was found.' } };
    expect(fastNovaServer(body)).toEqual(novaServerSchema.parse(body));
  });

  it.each([
    ['size a string', { ...volume, size: '10' }],
    ['attachment without server_id', { ...volume, attachments: [{ device: '/dev/vdb' }] }],
    ['attachments not a list', { ...volume, attachments: {} }],
    ['multiattach a string', { ...volume, multiattach: 'false' }],
  ])('a volume with %s is refused by both', (_what, body) => {
    expect(fastCinderVolume(body)).toBeUndefined();
    expect(cinderVolumeSchema.safeParse(body).success).toBe(false);
  });

  // The documented response of POST /servers/{id}/os-volume_attachments (microversion 2.1).
  const attachment = {
    device: '/dev/vdb',
    id: 'a26887c6-c47b-4654-abb5-dfadf7d3f803',
    serverId: '2390fb4d-1693-45d7-b309-e29c4af16538',
    volumeId: 'a26887c6-c47b-4654-abb5-dfadf7d3f803',
  };

  it('a documented volume attachment passes both and reads the same', () => {
    expect(fastNovaVolumeAttachment(attachment)).toEqual(novaVolumeAttachmentSchema.parse(attachment));
    const nullDevice = { ...attachment, device: null, attachment_id: 'x' };
    expect(fastNovaVolumeAttachment(nullDevice)).toEqual(novaVolumeAttachmentSchema.parse(nullDevice));
  });

  it.each([
    ['volumeId missing', { ...attachment, volumeId: undefined }],
    ['device a number', { ...attachment, device: 1 }],
    ['serverId null', { ...attachment, serverId: null }],
    ['attachment_id a number', { ...attachment, attachment_id: 2 }],
    ['a list instead of an object', [attachment]],
  ])('a volume attachment with %s is refused by both', (_what, body) => {
    expect(fastNovaVolumeAttachment(body)).toBeUndefined();
    expect(novaVolumeAttachmentSchema.safeParse(body).success).toBe(false);
  });
});
