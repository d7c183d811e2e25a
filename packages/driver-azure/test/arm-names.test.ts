import { describe, expect, it } from 'vitest';
import { resolveRef } from '../src/arm-ids.js';

const scope = { subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: 'rg-1' };
const disk = (value: string) => resolveRef(value, 'Microsoft.Compute/disks', scope, 'volumeId');
const vm = (value: string) => resolveRef(value, 'Microsoft.Compute/virtualMachines', scope, 'serverId');
const armDisk = (group: string, name: string) =>
  `/subscriptions/${scope.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Compute/disks/${name}`;

describe("Azure's naming rules for the refs a caller passes", () => {
  it('takes names and ARM ids that fit', () => {
    expect(disk('sg-data_01').name).toBe('sg-data_01');
    expect(vm('sg.client-1').name).toBe('sg.client-1');
    expect(disk(armDisk('Prod(EU)_rg.1', 'd1'))).toMatchObject({
      resourceGroup: 'Prod(EU)_rg.1',
      name: 'd1',
    });
    expect(disk(armDisk('grüppe', 'd1')).resourceGroup).toBe('grüppe');
  });

  it('refuses names Azure cannot hold, naming the field', () => {
    for (const bad of ['-lead', 'trail-', 'trail.', 'a b', 'a%2Fb', 'x?y', 'é', 'x'.repeat(81)])
      expect(() => disk(bad), bad).toThrow(
        expect.objectContaining({ code: 'invalid-request', field: 'volumeId' }),
      );
    expect(() => vm('x'.repeat(65))).toThrow(expect.objectContaining({ field: 'serverId' }));
    expect(vm('x'.repeat(64)).name).toHaveLength(64);
  });

  it('refuses an ARM id whose group or name breaks the rules', () => {
    expect(() => disk(armDisk('rg.', 'd1'))).toThrow(expect.objectContaining({ field: 'volumeId' }));
    expect(() => disk(armDisk('rg', 'd%201'))).toThrow(expect.objectContaining({ field: 'volumeId' }));
  });
});
