import type { VirtualMachine } from '@azure/arm-compute';
import type { Clock } from '@hybrid-broker/core';
import type { PollWatch } from '@hybrid-broker/core/driver-kit';

/**
 * The end of one VM's data-disk update as the shared VM list shows it (ArmGroupPolls of the
 * VMs): a VM's provisioningState is `Updating` from the moment ARM accepts the update until its
 * operation ends, so the first list that shows it otherwise is the moment to poll that
 * operation, which still says how it ended. `next` waits until the
 * list shows the VM no longer `Updating`, or one poll interval has passed, whichever comes
 * first. An update that has had company (other updates of its group sharing the list) reads on
 * the poll grid's ticks to its end, even once it is the last one left (a failover's tail);
 * one alone from the start, or one whose read failed, sleeps out the interval and leaves it to
 * the operation's own poll, as without coalescing; until company comes, it reads nothing and
 * looks for company on each tick. A view of the VM not `Updating` sets off a poll of the
 * operation once; another does only after a view of it `Updating`, so a list that lags behind
 * the update (still showing the VM as it was) costs one early poll, not one per tick.
 */
export class UpdateEnd {
  readonly #watch: PollWatch<VirtualMachine>;
  readonly #clock: Clock;
  #company = false;
  /** A view of the VM not `Updating` is taken for the end; after one was, only once it is `Updating` again. */
  #believeList = true;

  constructor(watch: PollWatch<VirtualMachine>, clock: Clock) {
    this.#watch = watch;
    this.#clock = clock;
  }

  async next(intervalMs: number, signal: AbortSignal | undefined): Promise<void> {
    const clock = this.#clock;
    const end = clock.now() + intervalMs;
    // An interval shorter than the grid's tick: the operation's own poll comes sooner than a list.
    if (intervalMs < this.#watch.tickMs) {
      await clock.sleep(intervalMs, signal);
      return;
    }
    // The last read may come on the first tick past the interval's end (at most one tick late):
    // a list that shows the end there saves a poll of an operation still in progress.
    while (clock.now() < end) {
      if (this.#watch.sharing) this.#company = true;
      if (!this.#company) {
        // No company yet (the others' updates may be accepted a moment later): look again next tick.
        await this.#untilTick(end, signal);
        continue;
      }
      let vm: VirtualMachine;
      try {
        vm = await this.#read(end, signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        break;
      }
      if (vm.provisioningState === 'Updating') this.#believeList = true;
      else if (this.#believeList) {
        // The update looks over: poll the operation now. Should that poll still say InProgress
        // (a list behind the operation), the list must show the VM Updating again to be believed.
        this.#believeList = false;
        return;
      }
    }
    const left = end - clock.now();
    if (left > 0) await clock.sleep(left, signal);
  }

  /** On the poll grid's next tick: in that tick's batch while others share, else a read of its own. */
  async #read(end: number, signal: AbortSignal | undefined): Promise<VirtualMachine> {
    const watch = this.#watch;
    if (watch.sharing) return watch.readOnTick(signal);
    await this.#untilTick(end, signal);
    return watch.read(signal);
  }

  #nextTick(): number {
    return (Math.floor(this.#clock.now() / this.#watch.tickMs) + 1) * this.#watch.tickMs;
  }

  /** Sleeps to the poll grid's next tick, or to `end` if that comes first. */
  #untilTick(end: number, signal: AbortSignal | undefined): Promise<void> {
    return this.#clock.sleep(Math.min(this.#nextTick(), end) - this.#clock.now(), signal);
  }

  close(): void {
    this.#watch.close();
  }
}
