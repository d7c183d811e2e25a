import type { DataDisk, VirtualMachine } from '@azure/arm-compute';
import { BrokerError, type Clock, isBrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import type { ResolvedRef } from '../src/arm-ids.js';
import { findDataDisk, pickLun } from '../src/data-disks.js';
import { type BatchTransport, type DiskChange, DiskChangeBatcher } from '../src/disk-change-batcher.js';

const VM: ResolvedRef = {
  resourceGroup: 'sg-rg',
  name: 'sg-1',
  id: '/subscriptions/s/resourceGroups/sg-rg/providers/Microsoft.Compute/virtualMachines/sg-1',
};
const diskId = (n: string) => `/subscriptions/s/resourceGroups/sg-rg/providers/Microsoft.Compute/disks/${n}`;

/**
 * A VM behind an ETag, as ARM keeps it: reads copy it, an update with a stale
 * `If-Match` is 412, and `refuse` may turn down an update as a whole.
 */
class FakeVm implements BatchTransport {
  etag = 1;
  disks: DataDisk[] = [];
  reads = 0;
  readonly sent: DataDisk[][] = [];
  /** Returns the refusal of an update, if any (checked before the ETag moves). */
  refuse: (disks: DataDisk[]) => BrokerError | undefined = () => undefined;
  /** Bumps the ETag behind the batch's back this many times (another writer). */
  interlopers = 0;
  /** Holds every update's end until released. */
  hold: Promise<void> = Promise.resolve();

  async read(): Promise<VirtualMachine> {
    this.reads++;
    return { location: 'westeurope', etag: `"${this.etag}"`, storageProfile: { dataDisks: [...this.disks] } };
  }

  async send(_vm: ResolvedRef, current: VirtualMachine, disks: DataDisk[]) {
    this.sent.push(disks);
    if (this.interlopers > 0) {
      this.interlopers--;
      this.etag++;
    }
    if (current.etag !== `"${this.etag}"`) {
      throw new BrokerError('conflict', 'precondition failed', { statusCode: 412 });
    }
    const refusal = this.refuse(disks);
    if (refusal) throw refusal;
    this.etag++;
    this.disks = disks;
    const hold = this.hold;
    return async () => {
      await hold;
      return { location: 'westeurope', storageProfile: { dataDisks: disks } };
    };
  }
}

/** A clock whose batching window ends when the test says so. */
function gate(): Clock & { open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { now: () => 0, random: () => 0.5, sleep: () => opened, open };
}

function attach(name: string, extra: Partial<DiskChange> = {}, lun?: number): DiskChange {
  return {
    kind: 'attach',
    waitForUpdate: true,
    signal: undefined,
    edit: (disks) =>
      findDataDisk(disks, diskId(name))
        ? undefined
        : [
            ...disks,
            { lun: pickLun(disks, lun, VM.name), createOption: 'Attach', managedDisk: { id: diskId(name) } },
          ],
    ...extra,
  };
}

const lunOf = (vm: VirtualMachine | undefined, name: string) =>
  findDataDisk(vm?.storageProfile?.dataDisks ?? [], diskId(name))?.lun;

describe('Azure attach batching', () => {
  it('N attaches to one VM within the window make one update, with unique LUNs', async () => {
    const vm = new FakeVm();
    const clock = gate();
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const names = ['a', 'b', 'c', 'd', 'e'];
    const results = names.map((n) => batcher.submit(VM, attach(n)));
    clock.open();
    const done = await Promise.all(results);
    expect(vm.sent).toHaveLength(1);
    expect(batcher.updatesSent).toBe(1);
    expect(names.map((n, i) => lunOf(done[i], n))).toEqual([0, 1, 2, 3, 4]);
  });

  it('answers each caller on its own: LUNs stay unique across the batch, a taken one fails only its caller', async () => {
    const vm = new FakeVm();
    vm.disks = [
      { lun: 3, createOption: 'Attach', managedDisk: { id: diskId('old') } },
      { lun: 5, createOption: 'Attach', managedDisk: { id: diskId('keep') } },
    ];
    const clock = gate();
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const ok = batcher.submit(VM, attach('a'));
    // lun 0 goes to a first, in the same batch
    const taken = batcher.submit(VM, attach('b', {}, 0)).catch((e: unknown) => e);
    // lun 3 is freed by the detach, which goes first
    const freed = batcher.submit(VM, attach('c', {}, 3));
    const detach: DiskChange = {
      kind: 'detach',
      waitForUpdate: true,
      signal: undefined,
      edit: (disks) => disks.filter((d) => d.managedDisk?.id !== diskId('old')),
    };
    const released = batcher.submit(VM, detach);
    clock.open();
    expect(lunOf(await ok, 'a')).toBe(0);
    expect(await taken).toMatchObject({ code: 'conflict', field: 'device' });
    expect(lunOf(await freed, 'c')).toBe(3);
    expect(lunOf(await released, 'old')).toBeUndefined();
    expect(vm.sent).toHaveLength(1);
    expect(vm.disks.map((d) => [d.managedDisk?.id, d.lun])).toEqual([
      [diskId('keep'), 5],
      [diskId('a'), 0],
      [diskId('c'), 3],
    ]);
  });

  it('a batch refused as a whole (too many data disks) is split: only the disks over the limit fail', async () => {
    const vm = new FakeVm();
    vm.refuse = (disks) =>
      disks.length > 2
        ? new BrokerError(
            'quota-exceeded',
            'OperationNotAllowed: The maximum number of data disks allowed to be attached to a VM of this size is 2.',
            { statusCode: 409, providerCode: 'OperationNotAllowed' },
          )
        : undefined;
    const clock = gate();
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const results = ['a', 'b', 'c'].map((n) => batcher.submit(VM, attach(n)).catch((e: unknown) => e));
    clock.open();
    const [a, b, c] = await Promise.all(results);
    expect(lunOf(a as VirtualMachine, 'a')).toBe(0);
    expect(lunOf(b as VirtualMachine, 'b')).toBe(1);
    expect(c).toMatchObject({ code: 'quota-exceeded', statusCode: 409 });
    // the batch, then one update per disk
    expect(vm.sent.map((d) => d.length)).toEqual([3, 1, 2, 3]);
  });

  it('a conflict on one disk of a batch fails that caller alone', async () => {
    const vm = new FakeVm();
    vm.refuse = (disks) =>
      findDataDisk(disks, diskId('held'))
        ? new BrokerError('conflict', 'ConflictingUserInput: already attached to VM other', {
            statusCode: 409,
            providerCode: 'ConflictingUserInput',
          })
        : undefined;
    const clock = gate();
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const results = ['a', 'held', 'b'].map((n) => batcher.submit(VM, attach(n)).catch((e: unknown) => e));
    clock.open();
    const [a, held, b] = await Promise.all(results);
    expect(held).toMatchObject({ code: 'conflict', providerCode: 'ConflictingUserInput' });
    expect(lunOf(a as VirtualMachine, 'a')).toBe(0);
    expect(lunOf(b as VirtualMachine, 'b')).toBe(1);
    expect(vm.disks.map((d) => d.managedDisk?.id)).toEqual([diskId('a'), diskId('b')]);
  });

  it('an abort before the update is sent takes the disk out of the batch', async () => {
    const vm = new FakeVm();
    const clock = gate();
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const leaving = new AbortController();
    const a = batcher.submit(VM, attach('a'));
    const gone = batcher.submit(VM, attach('gone', { signal: leaving.signal })).catch((e: unknown) => e);
    const b = batcher.submit(VM, attach('b'));
    leaving.abort();
    clock.open();
    expect(isBrokerError(await gone, 'aborted')).toBe(true);
    await Promise.all([a, b]);
    expect(vm.sent).toHaveLength(1);
    expect(vm.sent[0]?.map((d) => d.managedDisk?.id)).toEqual([diskId('a'), diskId('b')]);
  });

  it('an abort after the update is sent answers that caller aborted; the others still get the result', async () => {
    const vm = new FakeVm();
    let release!: () => void;
    vm.hold = new Promise((resolve) => {
      release = resolve;
    });
    const clock = gate();
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const leaving = new AbortController();
    const a = batcher.submit(VM, attach('a'));
    const gone = batcher.submit(VM, attach('gone', { signal: leaving.signal })).catch((e: unknown) => e);
    clock.open();
    await until(() => vm.sent.length === 1);
    leaving.abort();
    expect(isBrokerError(await gone, 'aborted')).toBe(true);
    release();
    expect(lunOf(await a, 'a')).toBe(0);
    expect(vm.disks).toHaveLength(2);
  });

  it('a 412 re-reads the VM and applies every edit again, a bounded number of times', async () => {
    const vm = new FakeVm();
    vm.interlopers = 2;
    const clock = gate();
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const results = ['a', 'b'].map((n) => batcher.submit(VM, attach(n)));
    clock.open();
    await Promise.all(results);
    expect(vm.reads).toBe(3);
    expect(vm.sent).toHaveLength(3);

    const busy = new FakeVm();
    busy.interlopers = 100;
    const again = gate();
    const stuck = new DiskChangeBatcher(busy, again, 50).submit(VM, attach('a')).catch((e: unknown) => e);
    again.open();
    expect(await stuck).toMatchObject({ code: 'conflict', statusCode: 412 });
    expect(busy.sent).toHaveLength(8);
  });

  it("the first try sends on the caller's own read of the VM; one from before the batcher's last update is read again", async () => {
    const vm = new FakeVm();
    let now = 1_000;
    const clock: Clock = { now: () => now, random: () => 0.5, sleep: async () => {} };
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const seen = { vm: await vm.read(), at: now };
    vm.reads = 0;
    now += 10;
    await batcher.submit(VM, attach('a', { seen }));
    expect(vm.reads).toBe(0);
    expect(vm.sent).toHaveLength(1);
    // read before that update: stale, so the batch reads the VM itself
    now += 10;
    await batcher.submit(VM, attach('b', { seen }));
    expect(vm.reads).toBe(1);
    expect(vm.sent).toHaveLength(2);
    // read after it, but another writer changed the VM since: 412, read again, sent again
    const later = { vm: await vm.read(), at: now + 1 };
    vm.reads = 0;
    now += 10;
    vm.interlopers = 1;
    const done = await batcher.submit(VM, attach('c', { seen: later }));
    expect(lunOf(done, 'c')).toBe(2);
    expect(vm.reads).toBe(1);
    expect(vm.sent).toHaveLength(4);
    // too old to trust, though no update of this batcher came after it
    const old = { vm: await vm.read(), at: now + 1 };
    vm.reads = 0;
    now += 60_000;
    await batcher.submit(VM, attach('d', { seen: old }));
    expect(vm.reads).toBe(1);
  });

  it('changes that arrive while an update runs go out together in the next one', async () => {
    const vm = new FakeVm();
    let release!: () => void;
    vm.hold = new Promise((resolve) => {
      release = resolve;
    });
    const clock = gate();
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const first = batcher.submit(VM, attach('a'));
    clock.open();
    await until(() => vm.sent.length === 1);
    const later = ['b', 'c', 'd'].map((n) => batcher.submit(VM, attach(n)));
    vm.hold = Promise.resolve();
    release();
    await Promise.all([first, ...later]);
    expect(vm.sent.map((d) => d.length)).toEqual([1, 4]);
  });

  it('a change with nothing to do (disk already listed) is answered without an update', async () => {
    const vm = new FakeVm();
    vm.disks = [{ lun: 0, createOption: 'Attach', managedDisk: { id: diskId('a') } }];
    const clock = gate();
    const batcher = new DiskChangeBatcher(vm, clock, 50);
    const result = batcher.submit(VM, attach('a'));
    clock.open();
    expect(await result).toBeUndefined();
    expect(vm.sent).toHaveLength(0);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}
