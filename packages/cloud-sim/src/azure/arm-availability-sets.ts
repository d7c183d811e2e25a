import { ArmError, type Json, resourceNotFound, type VmRecord } from './arm-model.js';

/** One availability set: VMs in it are spread over its fault domains (racks). */
export interface AvailabilitySetRecord {
  readonly id: string;
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly faultDomains: number;
  readonly updateDomains: number;
  readonly sku: string;
  tags: Record<string, string>;
}

/**
 * The availability sets of the emulated subscription. A member VM gets the
 * least used fault domain, as Azure spreads them; `capacity` (when set) is how
 * many VMs the cluster an availability set is pinned to can hold, past which
 * the VM's create ends in `AllocationFailed`, as a full cluster does on Azure.
 */
export class ArmAvailabilitySets {
  readonly sets = new Map<string, AvailabilitySetRecord>();

  /**
   * @param maxFaultDomains the region's most fault domains (2 or 3 on Azure)
   * @param capacity VMs one set's cluster can hold; undefined for no limit
   */
  constructor(
    readonly maxFaultDomains: number,
    public capacity: number | undefined,
  ) {}

  /** AvailabilitySets_CreateOrUpdate: the fault and update domain counts of a set are fixed once made. */
  put(id: string, resourceGroup: string, name: string, body: Json | undefined): AvailabilitySetRecord {
    const props = (body?.properties as Json | undefined) ?? {};
    const location = body?.location;
    if (typeof location !== 'string' || location === '')
      throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
    const faultDomains = Number(props.platformFaultDomainCount ?? 2);
    const updateDomains = Number(props.platformUpdateDomainCount ?? 5);
    if (!Number.isInteger(faultDomains) || faultDomains < 1 || faultDomains > this.maxFaultDomains) {
      throw new ArmError(
        400,
        'InvalidParameter',
        `The specified fault domain count ${String(props.platformFaultDomainCount)} must fall in the range 1 to ${this.maxFaultDomains}. Target: 'platformFaultDomainCount'.`,
      );
    }
    const existing = this.sets.get(id.toLowerCase());
    if (existing && (existing.faultDomains !== faultDomains || existing.updateDomains !== updateDomains)) {
      throw new ArmError(
        409,
        'OperationNotAllowed',
        `Availability set '${name}' exists with ${existing.faultDomains} fault domains and ${existing.updateDomains} update domains; they cannot be changed.`,
      );
    }
    const sku = String((body?.sku as Json | undefined)?.name ?? 'Classic');
    const set: AvailabilitySetRecord = {
      id,
      name,
      resourceGroup,
      location,
      faultDomains,
      updateDomains,
      sku,
      tags: (body?.tags as Record<string, string> | undefined) ?? existing?.tags ?? {},
    };
    this.sets.set(id.toLowerCase(), set);
    return set;
  }

  get(id: string, resourceGroup: string, name: string): AvailabilitySetRecord {
    const set = this.sets.get(id.toLowerCase());
    if (!set) throw resourceNotFound('Microsoft.Compute/availabilitySets', name, resourceGroup);
    return set;
  }

  /**
   * The fault and update domains of a new member of the set `setId` (from the VM body's
   * `availabilitySet.id`), or ARM's refusal: an unknown set, a zone asked for too.
   */
  join(
    setId: string,
    zones: readonly string[] | undefined,
    vms: Iterable<VmRecord>,
  ): { faultDomain: number; updateDomain: number; overCapacity: boolean } {
    const set = this.sets.get(setId.toLowerCase());
    if (!set) throw new ArmError(404, 'NotFound', `The Availability Set '${setId}' cannot be found.`);
    if (zones !== undefined && zones.length > 0) {
      throw new ArmError(
        400,
        'InvalidParameter',
        "Virtual Machine cannot be placed in an availability set and an availability zone at the same time. Target: 'availabilitySet'.",
      );
    }
    const members = [...vms].filter(
      (vm) =>
        vm.availabilitySetId?.toLowerCase() === set.id.toLowerCase() && vm.provisioningState !== 'Deleting',
    );
    const load = Array.from(
      { length: set.faultDomains },
      (_, fd) => members.filter((m) => m.faultDomain === fd).length,
    );
    const faultDomain = load.indexOf(Math.min(...load));
    return {
      faultDomain,
      updateDomain: members.length % set.updateDomains,
      overCapacity: this.capacity !== undefined && members.length >= this.capacity,
    };
  }
}

/** An availability set as AvailabilitySets_Get returns it, with its member VMs. */
export function availabilitySetView(set: AvailabilitySetRecord, vms: Iterable<VmRecord>): Json {
  const members = [...vms].filter((vm) => vm.availabilitySetId?.toLowerCase() === set.id.toLowerCase());
  return {
    id: set.id,
    name: set.name,
    type: 'Microsoft.Compute/availabilitySets',
    location: set.location,
    tags: set.tags,
    sku: { name: set.sku },
    properties: {
      platformUpdateDomainCount: set.updateDomains,
      platformFaultDomainCount: set.faultDomains,
      virtualMachines: members.map((vm) => ({ id: vm.id })),
      statuses: [],
    },
  };
}
