type Json = Record<string, unknown>;

/** One fake availability set (body shape of the AvailabilitySets_Get documented example). */
export interface FakeAvailabilitySet {
  readonly id: string;
  readonly name: string;
  readonly body: Json;
}

/** A member VM as the sets need to see it. */
export interface FakeMember {
  readonly id: string;
  readonly body: Json;
  readonly provisioningState: string;
  faultDomain?: number;
}

const setIdOf = (vm: FakeMember) =>
  String(
    ((vm.body.properties as Json | undefined)?.availabilitySet as Json | undefined)?.id ?? '',
  ).toLowerCase();

/** The fake's availability sets: GET and PUT (200, as the REST spec answers both a create and an update). */
export class FakeAvailabilitySets {
  readonly sets = new Map<string, FakeAvailabilitySet>();

  constructor(readonly prefix: string) {}

  handle(method: string, name: string, body: Json, members: Iterable<FakeMember>) {
    const key = name.toLowerCase();
    if (method === 'PUT') {
      const id = `${this.prefix}/Microsoft.Compute/availabilitySets/${name}`;
      this.sets.set(key, { id, name, body });
      return { status: 200, body: this.view(key, members) };
    }
    if (method === 'GET' && this.sets.has(key)) return { status: 200, body: this.view(key, members) };
    return {
      status: 404,
      body: {
        error: {
          code: 'ResourceNotFound',
          message: `The Resource 'Microsoft.Compute/availabilitySets/${name}' was not found.`,
        },
      },
    };
  }

  /** Puts a new member on the least used fault domain of its set. */
  place(vm: FakeMember, members: Iterable<FakeMember>): void {
    const setId = setIdOf(vm);
    if (setId === '') return;
    const set = [...this.sets.values()].find((s) => s.id.toLowerCase() === setId);
    const domains = Number((set?.body.properties as Json | undefined)?.platformFaultDomainCount ?? 2);
    const others = [...members].filter(
      (m) => m !== vm && setIdOf(m) === setId && m.provisioningState !== 'Deleting',
    );
    const load = Array.from(
      { length: domains },
      (_, fd) => others.filter((m) => m.faultDomain === fd).length,
    );
    vm.faultDomain = load.indexOf(Math.min(...load));
  }

  view(key: string, members: Iterable<FakeMember>): Json {
    const set = this.sets.get(key) as FakeAvailabilitySet;
    const props = (set.body.properties as Json | undefined) ?? {};
    return {
      id: set.id,
      name: set.name,
      type: 'Microsoft.Compute/availabilitySets',
      location: set.body.location,
      sku: set.body.sku,
      properties: {
        platformFaultDomainCount: props.platformFaultDomainCount,
        platformUpdateDomainCount: props.platformUpdateDomainCount,
        virtualMachines: [...members]
          .filter((m) => setIdOf(m) === set.id.toLowerCase() && m.provisioningState !== 'Deleting')
          .map((m) => ({ id: m.id })),
      },
    };
  }
}
