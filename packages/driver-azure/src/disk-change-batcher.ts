import type { VirtualMachine } from '@azure/arm-compute';
import { type BrokerError, type Clock, isBrokerError } from '@hybrid-broker/core';
import { abortedError, startCallDeadline } from '@hybrid-broker/core/driver-kit';
import type { ResolvedRef } from './arm-ids.js';
import type { BatchTransport, DiskChange } from './disk-change.js';

export type { BatchTransport, DiskChange } from './disk-change.js';

interface Member {
  readonly change: DiskChange;
  settled: boolean;
  resolve(vm: VirtualMachine | undefined): void;
  reject(error: unknown): void;
}

interface VmQueue {
  readonly vm: ResolvedRef;
  pending: Member[];
  /** A flush is scheduled or running: new changes wait for the next one. */
  busy: boolean;
}

/** Tries of read-modify-write before giving up on a VM others keep changing. */
const MAX_ETAG_ATTEMPTS = 8;
/** A caller's read older than this is not sent on (nor are the batcher's marks of a VM kept longer). */
const SEEN_MAX_AGE_MS = 10_000;

/**
 * Gathers the attaches and detaches to one VM that arrive within `windowMs`
 * into one VM update, as azuredisk-csi-driver does (PR #650: per-node queues,
 * one update for what queued up while the last one ran). One update per VM
 * runs at a time; changes that arrive meanwhile go out together next.
 * Each caller is answered on its own: its own refusal, or the batch's result.
 * A batch the cloud refuses as a whole is sent again disk by disk, so only
 * the caller whose disk is refused fails.
 */
export class DiskChangeBatcher {
  readonly #queues = new Map<string, VmQueue>();
  readonly #transport: BatchTransport;
  readonly #clock: Clock;
  readonly #windowMs: number;
  /** When this batcher last sent, or saw end, an update of each VM (clock time): a read from before is stale. */
  readonly #touched = new Map<string, number>();
  #updatesSent = 0;

  constructor(transport: BatchTransport, clock: Clock, windowMs: number) {
    this.#transport = transport;
    this.#clock = clock;
    this.#windowMs = windowMs;
  }

  /** VM updates sent (accepted or not), for tests and benchmarks. */
  get updatesSent(): number {
    return this.#updatesSent;
  }

  /** Queues a change of `vm`'s data disks; resolves with the VM after the update that carried it, if the transport read one. */
  submit(vm: ResolvedRef, change: DiskChange): Promise<VirtualMachine | undefined> {
    const key = vm.id.toLowerCase();
    const queue = this.#queues.get(key) ?? { vm, pending: [], busy: false };
    this.#queues.set(key, queue);
    return new Promise((resolve, reject) => {
      const signal = change.signal;
      const onAbort = () => {
        // not sent yet: out of the batch; sent already: the update goes on for the others
        queue.pending = queue.pending.filter((m) => m !== member);
        member.reject(abortedError(signal, `${change.kind} of a disk`));
      };
      const member: Member = {
        change,
        settled: false,
        resolve(value) {
          if (member.settled) return;
          member.settled = true;
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject(error) {
          if (member.settled) return;
          member.settled = true;
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.pending.push(member);
      if (!queue.busy) void this.#drain(key, queue);
    });
  }

  async #drain(key: string, queue: VmQueue): Promise<void> {
    queue.busy = true;
    try {
      await this.#clock.sleep(this.#windowMs, undefined);
      while (queue.pending.length > 0) {
        // detaches first: they free LUNs (and data-disk slots) the attaches may need
        const taken = queue.pending.splice(0).sort((a, b) => rank(a) - rank(b));
        await this.#send(queue.vm, taken, true);
      }
    } finally {
      // the loop ends only with nothing pending, in the same turn: no change can be left behind
      queue.busy = false;
      this.#queues.delete(key);
    }
  }

  /** One batch, with 412 re-reads; a whole refusal of several changes sends each alone. */
  async #send(vm: ResolvedRef, members: Member[], mayBeSplit: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const live = members.filter((m) => !m.settled && !m.change.signal?.aborted);
      if (live.length === 0) return;
      const bound = batchSignal(
        live.map((m) => m.change),
        this.#clock.now(),
      );
      try {
        const again = await this.#attempt(vm, live, mayBeSplit, attempt, bound.signal);
        if (!again) return;
      } finally {
        bound.done();
      }
    }
  }

  /** One read-modify-write of the batch; true when a 412 asks for another. */
  async #attempt(
    vm: ResolvedRef,
    live: Member[],
    mayBeSplit: boolean,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    let current: VirtualMachine;
    try {
      current =
        (attempt === 1 ? this.#seen(vm, live) : undefined) ?? (await this.#transport.read(vm, signal));
    } catch (error) {
      for (const m of live) m.reject(error);
      return false;
    }
    let disks = current.storageProfile?.dataDisks ?? [];
    const carried: Member[] = [];
    for (const m of live) {
      try {
        const next = m.change.edit(disks, current);
        if (next === undefined) m.resolve(undefined);
        else {
          disks = next;
          carried.push(m);
        }
      } catch (error) {
        m.reject(error);
      }
    }
    if (carried.length === 0) return false;
    let finish: () => Promise<VirtualMachine | undefined>;
    try {
      this.#updatesSent++;
      this.#touch(vm);
      finish = await this.#transport.send(vm, current, [...disks], signal);
    } catch (error) {
      this.#touch(vm);
      if (isPreconditionFailed(error) && attempt < MAX_ETAG_ATTEMPTS) return true;
      if (mayBeSplit && carried.length > 1 && refusedAsAWhole(error)) {
        for (const m of carried) await this.#send(vm, [m], false);
        return false;
      }
      for (const m of carried) m.reject(error);
      return false;
    }
    for (const m of carried) if (!m.change.waitForUpdate) m.resolve(current);
    if (!carried.some((m) => m.change.waitForUpdate && !m.settled)) return false;
    try {
      const done = await finish();
      this.#touch(vm);
      for (const m of carried) m.resolve(done);
    } catch (error) {
      this.#touch(vm);
      for (const m of carried) m.reject(error);
    }
    return false;
  }

  /**
   * The newest VM a caller of the batch read after this batcher's last update of it began
   * and ended: the first try sends on it, sparing one VM read per batch (the failover
   * bench: one GET per batch, queued in ARM's read budget). It is only a guess at the
   * current VM: the If-Match is the guard, and a VM changed meanwhile (by another broker,
   * or a read that joined an older in-flight GET) is 412, read again and re-edited.
   */
  #seen(vm: ResolvedRef, live: readonly Member[]): VirtualMachine | undefined {
    const now = this.#clock.now();
    const touched = this.#touched.get(vm.id.toLowerCase()) ?? Number.NEGATIVE_INFINITY;
    let best: DiskChange['seen'];
    for (const m of live) {
      const seen = m.change.seen;
      if (seen === undefined || seen.at <= touched || now - seen.at > SEEN_MAX_AGE_MS) continue;
      if (best === undefined || seen.at > best.at) best = seen;
    }
    return best?.vm;
  }

  /** Marks `vm` changed by this batcher now; marks older than any usable read are dropped. */
  #touch(vm: ResolvedRef): void {
    const now = this.#clock.now();
    this.#touched.delete(vm.id.toLowerCase());
    this.#touched.set(vm.id.toLowerCase(), now);
    // insertion order is touch order: the oldest come first
    for (const [key, at] of this.#touched) {
      if (now - at <= SEEN_MAX_AGE_MS) break;
      this.#touched.delete(key);
    }
  }
}

function rank(member: Member): number {
  return member.change.kind === 'detach' ? 0 : 1;
}

function isPreconditionFailed(error: unknown): boolean {
  return isBrokerError(error) && error.statusCode === 412;
}

/**
 * A refusal of the update's content (400 bad parameter, 409 such as too many
 * data disks or a disk another VM holds), which one of its disks may cause
 * alone. Throttling, outages and auth failures concern every disk alike.
 */
function refusedAsAWhole(error: unknown): error is BrokerError {
  return isBrokerError(error) && (error.statusCode === 400 || error.statusCode === 409);
}

/**
 * The signal of one batch's requests: it aborts once every caller's signal
 * has (the requests serve them all, so one caller leaving must not cancel the
 * others' update), and it carries the last caller's deadline, so a retry sleep
 * past it ends the batch at once. Undefined when some caller has no signal.
 * `now` is the batcher's clock time, the time base of the callers' deadlines.
 */
function batchSignal(
  changes: readonly DiskChange[],
  now: number,
): { signal: AbortSignal | undefined; done(): void } {
  const signals = changes.map((c) => c.signal);
  if (signals.some((s) => s === undefined)) return { signal: undefined, done: () => {} };
  const controller = new AbortController();
  let left = signals.length;
  const listeners = (signals as AbortSignal[]).map((signal) => {
    const onAbort = () => {
      left--;
      if (left === 0) controller.abort(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  });
  const deadlines = changes.map((c) => c.deadline);
  const last = deadlines.every((d) => d !== undefined) ? Math.max(...deadlines) : undefined;
  const bounded =
    last === undefined
      ? undefined
      : startCallDeadline(controller.signal, Math.max(0, last - now), 'updating data disks');
  return {
    signal: bounded?.signal ?? controller.signal,
    done() {
      for (const remove of listeners) remove();
      bounded?.done();
    },
  };
}
