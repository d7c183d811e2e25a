import type { Disk, VirtualMachine } from '@azure/arm-compute';
import {
  type DriverContext,
  isBrokerError,
  type Server,
  type ServerAddress,
  type Volume,
} from '@hybrid-broker/core';
import {
  PlatformScale,
  type ResolvedWaitOptions,
  type SingleFlight,
  verdict,
  type WaitVerdict,
  waitFor,
  withRetry,
} from '@hybrid-broker/core/driver-kit';
import { ArmGroupPolls } from './arm-group-polls.js';
import { type ArmScope, parseArmId, type ResolvedRef, resolveRef } from './arm-ids.js';
import { pauseOnThrottle } from './arm-request-budget.js';
import type { AzureClients } from './azure-clients.js';
import type { AzureDriverConfig } from './azure-config.js';
import { toAzureError } from './azure-errors.js';
import { createDiskBatcher } from './disk-batch-transport.js';
import type { DiskChangeBatcher } from './disk-change-batcher.js';
import { addressesOfNic, toServer, toVolume } from './resource-state.js';

/** ARM resource types the driver addresses. */
export const VM_TYPE = 'Microsoft.Compute/virtualMachines';
export const DISK_TYPE = 'Microsoft.Compute/disks';

/** One wait: what for, under which options and signal. */
export interface WaitCall {
  readonly description: string;
  readonly options: ResolvedWaitOptions;
  readonly signal: AbortSignal | undefined;
  /** The transition waited for ("attach", "detach", "build", "delete"): its first poll comes near its learned time. */
  readonly operation?: string;
}

/**
 * The reads, retries and waits every operation of the driver shares: one
 * place that turns SDK errors into BrokerErrors and applies the platform's
 * retry policy, clock and events.
 */
export class ArmAccess {
  readonly config: AzureDriverConfig;
  readonly context: DriverContext;
  readonly clients: AzureClients;
  readonly scope: ArmScope;
  /** Gathers the attaches and detaches of one VM into one update; undefined when the window is 0. */
  readonly diskBatcher: DiskChangeBatcher | undefined;
  /** The platform's scale machinery (single flight, coalesced polls, learned transition times). */
  readonly scale: PlatformScale;
  readonly #vmFlights: SingleFlight<VirtualMachine> | undefined;
  readonly #diskFlights: SingleFlight<Volume> | undefined;
  readonly #diskPolls: ArmGroupPolls<Disk, Volume>;
  /** The shared VM list that tells a data-disk update's end (see UpdateEnd). */
  readonly vmPolls: ArmGroupPolls<VirtualMachine, VirtualMachine>;

  constructor(config: AzureDriverConfig, context: DriverContext, clients: AzureClients) {
    this.config = config;
    this.context = context;
    this.clients = clients;
    this.scope = { subscriptionId: config.subscriptionId, resourceGroup: config.resourceGroup };
    this.scale = new PlatformScale(context.scale, {
      clock: context.services.clock,
      maxRetryAfterMs: context.retry.maxRetryAfterMs,
    });
    this.#vmFlights = this.scale.singleFlight<VirtualMachine>();
    this.#diskFlights = this.scale.singleFlight<Volume>();
    this.#diskPolls = new ArmGroupPolls(this.scale, {
      kind: 'disks',
      list: (group, signal) => clients.compute.disks.listByResourceGroup(group, { abortSignal: signal }),
      toValue: toVolume,
      readOne: (id, signal) => this.readVolume(this.diskRef(id), signal),
    });
    this.vmPolls = new ArmGroupPolls(this.scale, {
      kind: 'VMs',
      list: (group, signal) => clients.compute.virtualMachines.list(group, { abortSignal: signal }),
      toValue: (vm: VirtualMachine) => vm,
      readOne: (id, signal) => this.readVm(this.vmRef(id), signal, false),
    });
    const windowMs = context.scale.attachBatchWindowMs;
    this.diskBatcher = windowMs > 0 ? createDiskBatcher(this, windowMs) : undefined;
  }

  /** A VM reference from a server id (ARM id or bare name). */
  vmRef(value: string, field = 'serverId'): ResolvedRef {
    return resolveRef(value, VM_TYPE, this.scope, field);
  }

  /** A disk reference from a volume id (ARM id or bare name). */
  diskRef(value: string, field = 'volumeId'): ResolvedRef {
    return resolveRef(value, DISK_TYPE, this.scope, field);
  }

  /** Runs `body` under the platform's retry policy. */
  retry<T>(operation: string, signal: AbortSignal | undefined, idempotent: boolean, body: () => Promise<T>) {
    const { retry, services, emit } = this.context;
    const maxRetryAfterMs = retry.maxRetryAfterMs ?? 60_000;
    // A throttled attempt whose Retry-After this call will wait out pauses every caller of the platform.
    const paced = () =>
      body().catch((error: unknown) => {
        pauseOnThrottle(this.clients.budgets, error, signal, maxRetryAfterMs);
        throw error;
      });
    return withRetry<T>({ operation, idempotent, policy: retry, signal, clock: services.clock, emit }, paced);
  }

  /**
   * Reads a VM, with its instance view (power state) when asked. Concurrent
   * reads of one VM share one GET unless `fresh` (a read-modify-write needs
   * an ETag read after its own turn began).
   */
  readVm(
    vm: ResolvedRef,
    signal: AbortSignal | undefined,
    instanceView: boolean,
    fresh = false,
  ): Promise<VirtualMachine> {
    const once = async (s: AbortSignal | undefined) => {
      try {
        return await this.clients.compute.virtualMachines.get(vm.resourceGroup, vm.name, {
          ...(instanceView ? { expand: 'instanceView' } : {}),
          abortSignal: s,
        });
      } catch (error) {
        throw toAzureError(error, `reading VM ${vm.name}`);
      }
    };
    const flights = fresh ? undefined : this.#vmFlights;
    const key = `${vm.id.toLowerCase()}|${instanceView}`;
    // Each caller retries under its own deadline; only the attempts are shared.
    return this.retry('getServer', signal, true, () =>
      flights ? flights.run(key, signal, once) : once(signal),
    );
  }

  /**
   * The private addresses of a VM's NICs, one NIC read each (in parallel). A NIC gone
   * meanwhile adds none; any other failure of a read fails the call, typed.
   */
  async addressesOf(vm: VirtualMachine, signal: AbortSignal | undefined): Promise<ServerAddress[]> {
    const nics = (vm.networkProfile?.networkInterfaces ?? []).flatMap((ref) => {
      const parsed = ref.id ? parseArmId(ref.id) : undefined;
      return parsed ? [parsed] : [];
    });
    if (nics.length === 0) return [];
    const network = await this.clients.network();
    const lists = await Promise.all(
      nics.map((nic) =>
        this.retry('getServer', signal, true, async () => {
          try {
            return addressesOfNic(
              await network.networkInterfaces.get(nic.resourceGroup, nic.name, { abortSignal: signal }),
            );
          } catch (error) {
            const mapped = toAzureError(error, `reading NIC ${nic.name}`);
            if (isBrokerError(mapped, 'not-found')) return [];
            throw mapped;
          }
        }),
      ),
    );
    return lists.flat();
  }

  /** Reads a VM; undefined when it does not exist. */
  async findVm(vm: ResolvedRef, signal: AbortSignal | undefined): Promise<VirtualMachine | undefined> {
    try {
      return await this.readVm(vm, signal, true);
    } catch (error) {
      if (isBrokerError(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** Reads a managed disk as a Volume; concurrent reads of one disk share one GET. */
  readVolume(disk: ResolvedRef, signal: AbortSignal | undefined): Promise<Volume> {
    return this.retry('getVolume', signal, true, () => this.#diskAttempt(disk, signal));
  }

  /**
   * One read of a disk for an attach's or detach's precheck: in the resource group's next
   * shared list of disks while waits or other prechecks of the group are under way (in a
   * failover those reads then cost one list per batch, not one GET each), else the
   * single-flight GET of readVolume. Either way under the platform's retry policy, once.
   */
  async readVolumeShared(disk: ResolvedRef, signal: AbortSignal | undefined): Promise<Volume> {
    const watch = this.#diskPolls.watch(disk.resourceGroup, disk.id);
    if (watch === undefined) return this.readVolume(disk, signal);
    try {
      // With attach batching, one turn of the event loop first, so calls started together (a
      // failover's) have all registered: else the first reads alone, ahead of the others, and
      // its VM's batch window opens before its other callers' prechecks end (a second update).
      if (!watch.sharing && this.diskBatcher !== undefined) await new Promise((r) => setImmediate(r));
      // alone: the plain attempt, not watch.read, whose lone read (readVolume) retries on its own
      return await this.retry('getVolume', signal, true, () =>
        watch.sharing ? watch.read(signal) : this.#diskAttempt(disk, signal),
      );
    } finally {
      watch.close();
    }
  }

  /** One GET of a disk, shared by concurrent callers of one disk when single flight is on. */
  #diskAttempt(disk: ResolvedRef, signal: AbortSignal | undefined): Promise<Volume> {
    const once = async (s: AbortSignal | undefined) => {
      try {
        return toVolume(
          await this.clients.compute.disks.get(disk.resourceGroup, disk.name, { abortSignal: s }),
        );
      } catch (error) {
        throw toAzureError(error, `reading disk ${disk.name}`);
      }
    };
    const flights = this.#diskFlights;
    return flights ? flights.run(disk.id.toLowerCase(), signal, once) : once(signal);
  }

  /** Polls a VM until `check` says done; returns the last read with its Server view. */
  async waitServer(
    vm: ResolvedRef,
    wait: WaitCall,
    check: (s: Server) => WaitVerdict,
  ): Promise<{ readonly vm: VirtualMachine; readonly server: Server }> {
    return waitFor({
      ...this.#waitBase(wait),
      probe: async (signal) => {
        const read = await this.readVm(vm, signal, true);
        return { vm: read, server: toServer(read) };
      },
      check: (last) => check(last.server),
      stateOf: (last) => last.server.providerStatus,
    });
  }

  /** Polls a VM until it is gone. */
  waitGone(vm: ResolvedRef, wait: WaitCall): Promise<VirtualMachine | undefined> {
    return waitFor({
      ...this.#waitBase(wait),
      probe: (signal) => this.findVm(vm, signal),
      check: (found) => (found === undefined ? verdict.done : verdict.pending),
      stateOf: (found) => (found === undefined ? 'gone' : (found.provisioningState ?? 'Unknown')),
    });
  }

  /**
   * Polls a disk until `check` says done; a failed disk ends the wait at once.
   * Concurrent waits of one resource group share one list of its disks per tick.
   */
  async waitVolume(disk: ResolvedRef, wait: WaitCall, check: (v: Volume) => WaitVerdict): Promise<Volume> {
    const watch = this.#diskPolls.watch(disk.resourceGroup, disk.id);
    try {
      return await waitFor({
        ...this.#waitBase(wait),
        ...(watch ? { pacing: this.scale.pacing(wait.operation ?? 'disk', watch) } : {}),
        // A shared read retries as a lone one does (readVolume): a throttled list is not the end of every wait in it.
        probe: (signal) =>
          watch
            ? this.retry('getVolume', signal, true, () => watch.read(signal))
            : this.readVolume(disk, signal),
        check: (v) => (v.status === 'error' ? verdict.failed(`disk went to ${v.providerStatus}`) : check(v)),
        stateOf: (v) => v.providerStatus,
      });
    } finally {
      watch?.close();
    }
  }

  #waitBase(wait: WaitCall) {
    return {
      pacing: this.scale.pacing(wait.operation ?? 'wait'),
      description: wait.description,
      options: wait.options,
      signal: wait.signal,
      clock: this.context.services.clock,
      emit: this.context.emit,
    };
  }
}
