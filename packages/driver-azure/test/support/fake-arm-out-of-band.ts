import type { OutOfBandFixtures } from '@hybrid-broker/testkit';
import type { FakeArm } from './fake-arm.js';

type Json = Record<string, unknown>;

const nameOf = (id: string) => id.split('/').pop() ?? '';

/**
 * The watch cases' out-of-band changes on the nock fake, sent to its own request handler as
 * ARM requests (a VM update of the data disks, powerOff, a VM delete), not through the driver.
 * A disk is deleted and a VM failed in the fake's state: it has no disk delete route, and ARM
 * no call that fails a VM on purpose.
 */
export function fakeArmOutOfBand(fake: FakeArm): OutOfBandFixtures {
  const send = (method: string, path: string, body: Json = {}) => {
    const reply = fake.handle(method, path, {}, body);
    if (reply.status >= 400)
      throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  };
  const vmOf = (serverId: string) => {
    const vm = fake.vms.get(nameOf(serverId).toLowerCase());
    if (!vm) throw new Error(`no VM ${serverId}`);
    return vm;
  };
  const setDataDisks = (serverId: string, edit: (disks: Json[]) => Json[]) => {
    const { id, dataDisks } = vmOf(serverId);
    send('PATCH', id, { properties: { storageProfile: { dataDisks: edit(dataDisks) } } });
    // The fake moves an operation on when its VM is read; a real one ends whether read or not,
    // and a watch of volumes alone reads no VM: read it until the update is over.
    for (let i = 0; i < 10 && vmOf(serverId).provisioningState === 'Updating'; i++) send('GET', id);
  };
  const diskIdOf = (d: Json) => String((d.managedDisk as { id?: string } | undefined)?.id).toLowerCase();
  return {
    attach: async (serverId, volumeId) =>
      setDataDisks(serverId, (disks) => {
        const luns = new Set(disks.map((d) => d.lun));
        const lun = [...Array(64).keys()].find((n) => !luns.has(n));
        return [...disks, { lun, createOption: 'Attach', managedDisk: { id: volumeId } }];
      }),
    detach: async (serverId, volumeId) =>
      setDataDisks(serverId, (disks) => disks.filter((d) => diskIdOf(d) !== volumeId.toLowerCase())),
    deleteVolume: async (volumeId) => {
      const key = nameOf(volumeId).toLowerCase();
      if (fake.disks.get(key)?.managedBy !== undefined) throw new Error(`disk ${volumeId} is attached`);
      fake.disks.delete(key);
    },
    deleteServer: async (serverId) => send('DELETE', vmOf(serverId).id),
    stopServer: async (serverId) => send('POST', `${vmOf(serverId).id}/powerOff`),
    failServer: async (serverId) => {
      vmOf(serverId).provisioningState = 'Failed';
    },
  };
}
