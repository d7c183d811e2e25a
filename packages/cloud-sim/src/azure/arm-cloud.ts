import type { SimRandom } from '../random.js';
import { ChangeLog } from '../scenario/change-log.js';
import { TransitionTimes, type TransitionTimesSpec } from '../scenario/transition-times.js';
import type { Scheduler } from '../scheduler.js';
import type { TransitionFault } from '../service.js';
import { ArmAvailabilitySets } from './arm-availability-sets.js';
import { diffDataDisks, diskIdOf } from './arm-data-disks.js';
import { keptDataDisks } from './arm-detach-entries.js';
import {
  ArmError,
  type ArmTimings,
  DEFAULT_ARM_TIMINGS,
  type DiskRecord,
  type Json,
  type NicRecord,
  resourceNotFound,
  type VmRecord,
} from './arm-model.js';
import { ArmOperations } from './arm-operations.js';
import { validateVmPut } from './arm-vm-request.js';
import { VmUpdateCounts } from './arm-vm-updates.js';

/** The timings a scenario may draw from ranges; an update that only attaches (or detaches) draws `attachMs` (`detachMs`). */
export type ArmTimedChange = keyof ArmTimings | 'attachMs' | 'detachMs';

/** Options of the ARM emulation. */
export interface ArmCloudOptions {
  /** The subscription ids are made in (any subscription in a URL is accepted). Default a fixed UUID. */
  readonly subscriptionId?: string;
  /** Default location of seeded disks. Default `westeurope`. */
  readonly location?: string;
  readonly timings?: Partial<ArmTimings>;
  /** VM sizes a create accepts. */
  readonly vmSizes?: readonly string[];
  /** Seeded ranges some timings are drawn from instead (the failover scenario). Off by default. */
  readonly transitionTimes?: TransitionTimesSpec<ArmTimedChange>;
  /** The region's most fault domains per availability set (2 or 3 on Azure; default 3). */
  readonly maxFaultDomains?: number;
  /**
   * VMs the cluster of one availability set can hold; past it a member's create fails
   * with `AllocationFailed`. Default: no limit.
   */
  readonly availabilitySetCapacity?: number;
}

/** What a mutating call answers: the resource body and the operation to poll (if any). */
export interface ArmChange {
  readonly status: number;
  readonly body: Json | undefined;
  readonly operationId: string | undefined;
}

/**
 * The state of an emulated ARM Compute region: VMs, managed disks and NICs,
 * with provisioning that takes time, ETags, and hooks for tests.
 */
export class ArmCloud {
  readonly subscriptionId: string;
  readonly location: string;
  readonly vms = new Map<string, VmRecord>();
  readonly disks = new Map<string, DiskRecord>();
  readonly nics = new Map<string, NicRecord>();
  readonly availabilitySets: ArmAvailabilitySets;
  readonly operations: ArmOperations;
  /** Accepted VM updates per VM (what attach batching saves). */
  readonly vmUpdates = new VmUpdateCounts();
  readonly timings: ArmTimings;
  readonly vmSizes: readonly string[];
  /** When each disk was really attached or detached, and each VM provisioned. */
  readonly changes = new ChangeLog();
  /** Seeded ranges that replace the fixed timings; none by default. */
  times: TransitionTimes<ArmTimedChange>;
  readonly #random: SimRandom;
  #nextBuildFailure: { code: string; message: string } | undefined;

  constructor(options: ArmCloudOptions, scheduler: Scheduler, random: SimRandom) {
    this.subscriptionId = options.subscriptionId ?? '00000000-0000-4000-8000-0000000000a1';
    this.location = options.location ?? 'westeurope';
    this.timings = { ...DEFAULT_ARM_TIMINGS, ...options.timings };
    this.vmSizes = options.vmSizes ?? ['Standard_B1s', 'Standard_B2s', 'Standard_D2s_v5', 'Standard_D4s_v5'];
    this.availabilitySets = new ArmAvailabilitySets(
      options.maxFaultDomains ?? 3,
      options.availabilitySetCapacity,
    );
    this.operations = new ArmOperations(scheduler, random);
    this.#random = random;
    this.times = new TransitionTimes(options.transitionTimes ?? { ranges: {} });
  }

  /** Test hook: adds an Unattached managed disk; returns its ARM id. */
  addDisk(input: { resourceGroup?: string; name?: string; zone?: string; sizeGiB?: number } = {}): string {
    const name = input.name ?? `disk-${this.#random.hex(4)}`;
    const id = this.resourceId(input.resourceGroup ?? 'sg-rg', 'Microsoft.Compute/disks', name);
    this.disks.set(id.toLowerCase(), {
      name,
      id,
      location: this.location,
      zones: input.zone === undefined ? undefined : [input.zone],
      sizeGiB: input.sizeGiB ?? 8,
      sku: 'StandardSSD_LRS',
      uniqueId: this.#random.uuid(),
      managedBy: undefined,
      provisioningState: 'Succeeded',
      forced: undefined,
      timeCreated: new Date().toISOString(),
    });
    return id;
  }

  /** Test hook: a disk fails (`error`) or ignores attach/detach changes (`stuck`). */
  forceDisk(id: string, state: 'error' | 'stuck'): void {
    const disk = this.disks.get(id.toLowerCase());
    if (!disk) throw resourceNotFound('Microsoft.Compute/disks', id, '');
    if (state === 'error') disk.provisioningState = 'Failed';
    else disk.forced = 'stuck';
  }

  /** Test hook: the next VM create ends Failed with this ARM error. */
  failNextBuild(
    code = 'OSProvisioningTimedOut',
    message = 'OS Provisioning for VM did not finish in the allotted time.',
  ): void {
    this.#nextBuildFailure = { code, message };
  }

  /** Builds an ARM id in this subscription. */
  resourceId(resourceGroup: string, type: string, name: string): string {
    return `/subscriptions/${this.subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
  }

  /** A VM by group and name, or ARM's 404. */
  vm(resourceGroup: string, name: string): VmRecord {
    const vm = this.vms.get(
      this.resourceId(resourceGroup, 'Microsoft.Compute/virtualMachines', name).toLowerCase(),
    );
    if (!vm) throw resourceNotFound('Microsoft.Compute/virtualMachines', name, resourceGroup);
    return vm;
  }

  /** VirtualMachines_CreateOrUpdate: If-None-Match/If-Match honoured; the create finishes after `provisionMs`. */
  putVm(
    resourceGroup: string,
    name: string,
    body: Json,
    headers: { ifMatch?: string; ifNoneMatch?: string },
    fault: TransitionFault | undefined,
  ): ArmChange {
    const id = this.resourceId(resourceGroup, 'Microsoft.Compute/virtualMachines', name);
    const existing = this.vms.get(id.toLowerCase());
    if (existing && headers.ifNoneMatch === '*') {
      throw new ArmError(
        412,
        'PreconditionFailed',
        `The resource '${name}' already exists (If-None-Match: *).`,
      );
    }
    if (existing) return this.patchVm(resourceGroup, name, body, headers, fault);
    if (headers.ifMatch !== undefined)
      throw resourceNotFound('Microsoft.Compute/virtualMachines', name, resourceGroup);
    const valid = validateVmPut(body, this.vmSizes, (nicId) => this.nics.get(nicId.toLowerCase()));
    const failure =
      fault?.outcome === 'error'
        ? { code: fault.status ?? 'OSProvisioningClientError', message: 'OS provisioning failed for VM.' }
        : this.#nextBuildFailure;
    this.#nextBuildFailure = undefined;
    const setId =
      ((valid.properties.availabilitySet as Json | undefined)?.id as string | undefined) ?? undefined;
    const placed =
      setId === undefined ? undefined : this.availabilitySets.join(setId, valid.zones, this.vms.values());
    const allocation = placed?.overCapacity
      ? {
          code: 'AllocationFailed',
          message:
            'Allocation failed. If you are trying to add a new VM to an Availability Set or update/resize an existing VM in an Availability Set, please note that such Availability Set allocation is scoped to a single cluster, and it is possible that the cluster is out of capacity.',
        }
      : undefined;
    const vm: VmRecord = {
      ...(placed === undefined
        ? {}
        : { availabilitySetId: setId, faultDomain: placed.faultDomain, updateDomain: placed.updateDomain }),
      name,
      id,
      resourceGroup,
      vmId: this.#random.uuid(),
      location: valid.location,
      zones: valid.zones,
      tags: valid.tags,
      properties: valid.properties,
      dataDisks: [],
      provisioningState: 'Creating',
      power: 'PowerState/starting',
      etag: 1,
      failure: undefined,
      timeCreated: new Date().toISOString(),
    };
    this.vms.set(id.toLowerCase(), vm);
    for (const nic of valid.nicIds) {
      const record = this.nics.get(nic.toLowerCase());
      if (record) record.virtualMachine = id;
    }
    const since = Date.now();
    const operationId = this.operations.start(
      fault?.outcome === 'stuck' ? 'never' : this.times.draw('provisionMs', this.timings.provisionMs),
      () => {
        const failed = allocation ?? failure;
        vm.provisioningState = failed ? 'Failed' : 'Succeeded';
        this.changes.record(vm.id, vm.provisioningState, Date.now(), since);
        vm.power = failed ? 'PowerState/stopped' : 'PowerState/running';
        vm.failure = failed;
        return failed;
      },
    );
    return { status: 201, body: undefined, operationId };
  }

  /** VirtualMachines_Update (PATCH): tags and data disks; If-Match against the VM's ETag. */
  patchVm(
    resourceGroup: string,
    name: string,
    body: Json,
    headers: { ifMatch?: string },
    fault: TransitionFault | undefined,
  ): ArmChange {
    const vm = this.vm(resourceGroup, name);
    if (headers.ifMatch !== undefined && headers.ifMatch !== '*' && headers.ifMatch !== `"${vm.etag}"`) {
      throw new ArmError(
        412,
        'PreconditionFailed',
        `The specified precondition 'If-Match' failed for '${name}': the ETag is not current.`,
      );
    }
    if (vm.provisioningState === 'Deleting')
      throw new ArmError(409, 'OperationNotAllowed', `VM '${name}' is being deleted.`);
    const props = (body.properties as Json | undefined) ?? {};
    const wanted = (props.storageProfile as Json | undefined)?.dataDisks as Json[] | undefined;
    const holderOf = (disk: DiskRecord) =>
      disk.managedBy ??
      [...this.vms.values()].find(
        (other) => other !== vm && other.dataDisks.some((d) => diskIdOf(d) === disk.id.toLowerCase()),
      )?.id;
    const detaches = wanted ? keptDataDisks(vm.dataDisks, wanted, (id) => this.disks.get(id)) : undefined;
    const attached = detaches?.kept.filter((d) => d.toBeDetached !== true);
    const diff = attached
      ? diffDataDisks(vm, attached, (id) => this.disks.get(id), holderOf)
      : { added: [], removed: [] };
    this.vmUpdates.record(vm.id);
    // A forced detach ends a stuck one: the disk is released with this update.
    for (const disk of detaches?.forced ?? []) disk.forced = undefined;
    if (body.tags !== undefined) vm.tags = body.tags as Record<string, string>;
    if (detaches)
      vm.dataDisks = detaches.kept.map((d) => ({
        ...d,
        managedDisk: { ...(d.managedDisk as Json), storageAccountType: 'StandardSSD_LRS' },
      }));
    vm.etag++;
    const kind: ArmTimedChange =
      diff.removed.length === 0 && diff.added.length > 0
        ? 'attachMs'
        : diff.added.length === 0 && diff.removed.length > 0
          ? 'detachMs'
          : 'updateMs';
    const settled = vm.provisioningState === 'Failed' ? 'Failed' : 'Succeeded';
    const since = Date.now();
    vm.provisioningState = 'Updating';
    const operationId = this.operations.start(
      fault?.outcome === 'stuck' ? 'never' : this.times.draw(kind, this.timings.updateMs),
      () => {
        vm.provisioningState = settled;
        const at = Date.now();
        for (const disk of diff.added) {
          if (disk.forced === 'stuck') continue;
          disk.managedBy = vm.id;
          this.changes.record(disk.id, 'attached', at, since);
        }
        for (const disk of diff.removed) {
          if (disk.forced === 'stuck' || disk.managedBy !== vm.id) continue;
          disk.managedBy = undefined;
          this.changes.record(disk.id, 'detached', at, since);
        }
        if (fault?.outcome === 'error') for (const disk of diff.added) disk.provisioningState = 'Failed';
        return undefined;
      },
    );
    return { status: 200, body: undefined, operationId };
  }

  /** VirtualMachines_Delete: data disks are released, NICs made for it (deleteOption Delete) go with it. */
  deleteVm(resourceGroup: string, name: string, fault: TransitionFault | undefined): ArmChange {
    const key = this.resourceId(resourceGroup, 'Microsoft.Compute/virtualMachines', name).toLowerCase();
    const vm = this.vms.get(key);
    if (!vm) return { status: 204, body: undefined, operationId: undefined };
    vm.provisioningState = 'Deleting';
    vm.power = 'PowerState/stopping';
    const operationId = this.operations.start(
      fault?.outcome === 'stuck' ? 'never' : this.timings.deleteMs,
      () => {
        this.vms.delete(key);
        for (const disk of this.disks.values()) if (disk.managedBy === vm.id) disk.managedBy = undefined;
        const refs =
          ((vm.properties.networkProfile as Json | undefined)?.networkInterfaces as Json[] | undefined) ?? [];
        for (const ref of refs) {
          const nicKey = String(ref.id ?? '').toLowerCase();
          const deleteOption = (ref.properties as Json | undefined)?.deleteOption ?? ref.deleteOption;
          if (deleteOption === 'Delete') this.nics.delete(nicKey);
          else {
            const nic = this.nics.get(nicKey);
            if (nic) nic.virtualMachine = undefined;
          }
        }
        return undefined;
      },
    );
    return { status: 202, body: undefined, operationId };
  }

  /** NetworkInterfaces_CreateOrUpdate: synchronous here (Succeeded at once). */
  putNic(resourceGroup: string, name: string, body: Json): NicRecord {
    const props = (body.properties as Json | undefined) ?? {};
    const config = ((props.ipConfigurations as Json[] | undefined) ?? [])[0];
    const subnetId = ((config?.properties as Json | undefined)?.subnet as Json | undefined)?.id;
    if (typeof subnetId !== 'string' || subnetId === '') {
      throw new ArmError(
        400,
        'InvalidRequestFormat',
        'Cannot parse the request: ipConfigurations[0].properties.subnet.id is required.',
      );
    }
    const id = this.resourceId(resourceGroup, 'Microsoft.Network/networkInterfaces', name);
    const existing = this.nics.get(id.toLowerCase());
    const nic: NicRecord = {
      name,
      id,
      location: typeof body.location === 'string' ? body.location : this.location,
      subnetId,
      privateIp: existing?.privateIp ?? `10.0.0.${4 + this.nics.size}`,
      virtualMachine: existing?.virtualMachine,
      tags: (body.tags as Record<string, string> | undefined) ?? {},
    };
    this.nics.set(id.toLowerCase(), nic);
    return nic;
  }

  /** Deletes a NIC; ARM refuses while a VM uses it (400 NicInUse). False when there was none. */
  deleteNic(resourceGroup: string, name: string): boolean {
    const key = this.resourceId(resourceGroup, 'Microsoft.Network/networkInterfaces', name).toLowerCase();
    const nic = this.nics.get(key);
    if (!nic) return false;
    if (nic.virtualMachine !== undefined) {
      throw new ArmError(
        400,
        'NicInUse',
        `Network Interface ${nic.id} is used by existing resource ${nic.virtualMachine}. In order to delete the network interface, it must be dissociated from the resource.`,
      );
    }
    this.nics.delete(key);
    return true;
  }

  /** Disks that a VM lists as data disks, for checks in tests. */
  dataDiskIds(vm: VmRecord): string[] {
    return vm.dataDisks.map(diskIdOf);
  }
}
