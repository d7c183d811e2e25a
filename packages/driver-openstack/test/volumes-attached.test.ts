import { describe, expect, it } from 'vitest';
import type { NovaServer } from '../src/nova/nova-schemas.js';
import { serverListsVolume } from '../src/operations/volumes-attached.js';

const VOLUME = '6f1c4f0e-8f43-4c1b-9a53-0d2a4e3c1b7a';
const server = (attached: unknown): NovaServer =>
  ({ id: 's', name: '', status: 'ACTIVE', 'os-extended-volumes:volumes_attached': attached }) as NovaServer;

describe('serverListsVolume', () => {
  it('finds the volume among the block-device mappings, ids compared case-blind', () => {
    expect(serverListsVolume(server([{ id: VOLUME.toUpperCase() }]), VOLUME)).toBe(true);
    expect(serverListsVolume(server([{ id: 'other' }]), VOLUME)).toBe(false);
    expect(serverListsVolume(server([]), VOLUME)).toBe(false);
  });

  it('a server that is gone lists nothing', () => {
    expect(serverListsVolume(undefined, VOLUME)).toBe(false);
  });

  it('undefined when the body does not carry the field in its documented shape', () => {
    expect(serverListsVolume({ id: 's', name: '', status: 'ACTIVE' } as NovaServer, VOLUME)).toBeUndefined();
    expect(serverListsVolume(server([{ volumeId: VOLUME }]), VOLUME)).toBeUndefined();
    expect(serverListsVolume(server('x'), VOLUME)).toBeUndefined();
  });
});
