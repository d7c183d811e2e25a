import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { catalogReply } from './fake-arm-catalog.js';
import { FakeAvailabilitySets } from './fake-availability-sets.js';
import { diskWrite, type FakeDisk } from './fake-disks.js';
import { powerChange, VM_ACTION } from './fake-power.js';

/**
 * A stateful ARM fake on nock, for the contract suite and driver tests. Bodies
 * follow the Azure REST API documented examples for Microsoft.Compute
 * (VirtualMachines_CreateOrUpdate "Create a vm with ssh authentication",
 * VirtualMachines_Get with `$expand=instanceView`, Disks_Get, the async
 * operation status `{ status, error }`), reduced to the fields the driver reads.
 * LROs answer 201/200/202 with `Azure-AsyncOperation`, and finish on the
 * `pollsToFinish`-th status poll.
 */
export const ARM = 'https://management.azure.com';
export const SUB = '00000000-0000-4000-8000-000000000001';
export const RG = 'sg-rg';
export const LOCATION = 'westeurope';

type Json = Record<string, unknown>;

interface Vm {
  name: string;
  id: string;
  body: Json;
  provisioningState: string;
  power: string;
  etag: number;
  dataDisks: Json[];
  failure?: { code: string; message: string };
  faultDomain?: number;
}

type Disk = FakeDisk;

interface Operation {
  polls: number;
  /** The resource whose reads also move the operation on (a real LRO finishes whether polled or not). */
  resource: string;
  finish: () => { code: string; message: string } | undefined;
  done?: { failure: { code: string; message: string } | undefined };
}

/** One recorded request. */
export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

/** Options of the fake. */
export interface FakeArmOptions {
  /** Status polls an LRO answers InProgress before it finishes (default 1). */
  readonly pollsToFinish?: number;
  /** The async-operation responses carry `Retry-After` (seconds) when set. */
  readonly retryAfterSeconds?: number;
}

const prefix = `/subscriptions/${SUB}/resourceGroups/${RG}/providers`;
const RESOURCE =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/(Microsoft\.\w+)\/(\w+)\/([^/?]+)$/i;
const LIST =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/(virtualMachines|disks)$/i;
const OPERATION =
  /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Compute\/locations\/[^/]+\/operations\/([^/?]+)$/i;

/** The fake: state, hooks the contract fixtures use, and the recorded requests. */
export class FakeArm {
  readonly vms = new Map<string, Vm>();
  readonly disks = new Map<string, Disk>();
  readonly nics = new Map<string, Json>();
  readonly availabilitySets = new FakeAvailabilitySets(prefix);
  readonly seen: Seen[] = [];
  readonly #ops = new Map<string, Operation>();
  readonly #pollsToFinish: number;
  readonly #retryAfter: number | undefined;
  #failNextBuild = false;
  /** Replies queued for the next requests matching a method and path test, before the fake answers. */
  readonly injected: {
    method: string;
    path: RegExp;
    status: number;
    body: Json;
    headers: Record<string, string>;
  }[] = [];
  /** Requests matching these are carried out, but their reply is replaced by a 500 (a lost response). */
  readonly lostReplies: { method: string; path: RegExp }[] = [];

  constructor(options: FakeArmOptions = {}) {
    this.#pollsToFinish = options.pollsToFinish ?? 1;
    this.#retryAfter = options.retryAfterSeconds;
  }

  /** Installs the persistent nock interceptors; returns the scope. */
  install(): nock.Scope {
    const scope = nock(ARM).persist();
    for (const method of ['get', 'put', 'patch', 'delete', 'post'] as const) {
      scope[method](/.*/)
        .query(true)
        .reply(async (request: Request) => {
          const path = new URL(request.url).pathname;
          const headers: Record<string, string | string[] | undefined> = Object.fromEntries(request.headers);
          const body = await request.text();
          const parsed = body.length > 0 ? (JSON.parse(body) as unknown) : undefined;
          this.seen.push({ method: method.toUpperCase(), path, headers, body: parsed });
          const reply = this.handle(method.toUpperCase(), path, headers, parsed as Json);
          return [
            reply.status,
            reply.body as nock.Body,
            { 'x-ms-request-id': randomUUID(), ...reply.headers },
          ];
        });
    }
    return scope;
  }

  /** Adds an Unattached managed disk; returns its ARM id. */
  addDisk(zone: string | undefined, sizeGiB = 8): string {
    const name = `disk-${randomUUID().slice(0, 8)}`;
    const id = `${prefix}/Microsoft.Compute/disks/${name}`;
    this.disks.set(name.toLowerCase(), { name, id, zone, sizeGiB, managedBy: undefined, forced: undefined });
    return id;
  }

  /** Forces a disk to fail (`error`) or to ignore detaches (`stuck`). */
  forceDisk(id: string, state: 'error' | 'stuck'): void {
    const disk = [...this.disks.values()].find((d) => d.id === id);
    if (disk) disk.forced = state;
  }

  /** The next VM create ends its LRO Failed, as an OS provisioning failure does. */
  failNextBuild(): void {
    this.#failNextBuild = true;
  }

  /** Requests seen of one method whose path matches. */
  count(method: string, path: RegExp): number {
    return this.seen.filter((s) => s.method === method && path.test(s.path)).length;
  }

  handle(
    method: string,
    path: string,
    headers: Seen['headers'],
    body: Json,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const injected = this.injected.findIndex((i) => i.method === method && i.path.test(path));
    if (injected >= 0) {
      const [reply] = this.injected.splice(injected, 1);
      if (reply) return { status: reply.status, body: reply.body, headers: reply.headers };
    }
    const lost = this.lostReplies.findIndex((l) => l.method === method && l.path.test(path));
    if (lost >= 0) {
      this.lostReplies.splice(lost, 1);
      this.#route(method, path, headers, body);
      return error(500, 'InternalServerError', 'An internal execution error occurred.');
    }
    return this.#route(method, path, headers, body);
  }

  #route(
    method: string,
    path: string,
    headers: Seen['headers'],
    body: Json,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    const op = OPERATION.exec(path);
    if (op && method === 'GET') return this.#poll(op[1] ?? '');
    const catalog = catalogReply(method, path);
    if (catalog) return catalog;
    const list = LIST.exec(path);
    if (list && method === 'GET') {
      // ARM's list of a resource group: `{ value, nextLink? }`, one page here. Listing the VMs
      // reads each, as a GET of one does: it moves their operations on.
      if (list[1]?.toLowerCase() !== 'disks') for (const key of this.vms.keys()) this.#tick(`vm:${key}`);
      const value =
        list[1]?.toLowerCase() === 'disks'
          ? [...this.disks.values()].map(diskJson)
          : [...this.vms.values()].filter((vm) => vm.provisioningState !== 'Deleting').map(vmJson);
      return { status: 200, body: { value } };
    }
    const action = VM_ACTION.exec(path);
    if (action && method === 'POST') return this.#power(decodeURIComponent(action[1] ?? ''), action[2] ?? '');
    const match = RESOURCE.exec(path);
    if (!match) return notFound('ResourceNotFound', `no route ${method} ${path}`);
    const [, , type = '', rawName = ''] = match;
    const name = decodeURIComponent(rawName);
    if (type === 'virtualMachines') return this.#vm(method, name, headers, body);
    if (type === 'availabilitySets')
      return this.availabilitySets.handle(method, name, body, this.vms.values());
    if (type === 'disks' && method === 'PATCH') {
      // Disks - Update: the tags given replace the disk's, answered 200 with the disk.
      const disk = this.disks.get(name.toLowerCase());
      if (!disk)
        return notFound('ResourceNotFound', `The Resource 'Microsoft.Compute/disks/${name}' was not found.`);
      if (body.tags !== undefined) disk.tags = { ...(body.tags as Record<string, string>) };
      return { status: 200, body: diskJson(disk) };
    }
    if (type === 'disks' && method !== 'GET') {
      const host = { disks: this.disks, json: diskJson, lro: this.#lro.bind(this) };
      const idOf = (n: string) => `${prefix}/Microsoft.Compute/disks/${n}`;
      return diskWrite({ ...host, idOf }, method, name, body) ?? error(405, 'MethodNotAllowed', method);
    }
    if (type === 'disks' && method === 'GET') {
      this.#tick(`disk:${name.toLowerCase()}`);
      const disk = this.disks.get(name.toLowerCase());
      return disk
        ? { status: 200, body: diskJson(disk) }
        : notFound(
            'ResourceNotFound',
            `The Resource 'Microsoft.Compute/disks/${name}' under resource group '${RG}' was not found.`,
          );
    }
    if (type === 'networkInterfaces' && method === 'PUT') {
      const nic = {
        ...body,
        id: `${prefix}/Microsoft.Network/networkInterfaces/${name}`,
        name,
        properties: { ...(body.properties as Json), provisioningState: 'Succeeded' },
      };
      this.nics.set(name.toLowerCase(), nic);
      return { status: 201, body: nic };
    }
    if (type === 'networkInterfaces' && method === 'GET') {
      const nic = this.nics.get(name.toLowerCase());
      if (!nic)
        return notFound('NotFound', `Resource /subscriptions/.../networkInterfaces/${name} not found.`);
      // ARM assigns the private address once the NIC exists.
      const props = nic.properties as Json;
      const configs = ((props.ipConfigurations as Json[] | undefined) ?? []).map((c, i) => ({
        ...c,
        properties: { ...((c.properties as Json | undefined) ?? c), privateIPAddress: `10.0.0.${4 + i}` },
      }));
      return { status: 200, body: { ...nic, properties: { ...props, ipConfigurations: configs } } };
    }
    if (type === 'networkInterfaces' && method === 'DELETE') {
      // ARM answers 200 when it deleted the NIC, 204 when there was none.
      return { status: this.nics.delete(name.toLowerCase()) ? 200 : 204 };
    }
    return notFound('ResourceNotFound', `unsupported ${method} ${path}`);
  }

  #vm(method: string, name: string, headers: Seen['headers'], body: Json) {
    const key = name.toLowerCase();
    const vm = this.vms.get(key);
    const missing = () =>
      notFound(
        'ResourceNotFound',
        `The Resource 'Microsoft.Compute/virtualMachines/${name}' under resource group '${RG}' was not found.`,
      );
    if (method === 'GET') {
      this.#tick(`vm:${key}`);
      const now = this.vms.get(key);
      return now ? { status: 200, body: vmJson(now) } : missing();
    }
    if (method === 'PUT') {
      if (vm && headers['if-none-match'] === '*')
        return error(412, 'PreconditionFailed', `The resource '${name}' already exists.`);
      const failure = this.#failNextBuild
        ? { code: 'OSProvisioningClientError', message: 'OS provisioning failed for VM.' }
        : undefined;
      this.#failNextBuild = false;
      const created: Vm = {
        name,
        id: `${prefix}/Microsoft.Compute/virtualMachines/${name}`,
        body,
        provisioningState: 'Creating',
        power: 'PowerState/starting',
        etag: 1,
        dataDisks: [],
        ...(failure ? { failure } : {}),
      };
      this.availabilitySets.place(created, this.vms.values());
      this.vms.set(key, created);
      return this.#lro(201, vmJson(created), `vm:${key}`, () => {
        created.provisioningState = failure ? 'Failed' : 'Succeeded';
        created.power = failure ? 'PowerState/stopped' : 'PowerState/running';
        return failure;
      });
    }
    if (!vm) return method === 'DELETE' ? { status: 204 } : missing();
    if (method === 'PATCH') {
      const ifMatch = headers['if-match'];
      if (ifMatch !== undefined && ifMatch !== `"${vm.etag}"`)
        return error(
          412,
          'PreconditionFailed',
          'The specified precondition failed: the etag does not match.',
        );
      const wanted = ((body.properties as Json | undefined)?.storageProfile as Json | undefined)?.dataDisks as
        | Json[]
        | undefined;
      const before = vm.dataDisks;
      const taken = wanted && this.#heldElsewhere(vm, before, wanted);
      if (taken) {
        // Compute's refusal of a disk another VM holds (words from cloud-provider-azure's recorded error)
        return error(
          409,
          'ConflictingUserInput',
          `Cannot attach the disk ${taken.disk} to VM ${vm.id} because it is already attached to VM ${taken.holder}. A disk can be attached to only one VM at a time.`,
        );
      }
      const kept = wanted && this.#keptDisks(before, wanted);
      if (kept) vm.dataDisks = kept;
      // ARM's PATCH replaces the whole tags object.
      if (body.tags !== undefined) vm.body = { ...vm.body, tags: body.tags };
      vm.etag++;
      vm.provisioningState = 'Updating';
      return this.#lro(200, vmJson(vm), `vm:${key}`, () => {
        vm.provisioningState = 'Succeeded';
        if (kept)
          this.#applyDisks(
            vm,
            before,
            kept.filter((d) => d.toBeDetached !== true),
          );
        return undefined;
      });
    }
    if (method === 'DELETE') {
      vm.provisioningState = 'Deleting';
      return this.#lro(202, undefined, `vm:${key}`, () => {
        for (const disk of this.disks.values()) if (disk.managedBy === vm.id) disk.managedBy = undefined;
        this.vms.delete(key);
        return undefined;
      });
    }
    return error(405, 'MethodNotAllowed', method);
  }

  /** A VM power action (fake-power.ts): Updating and the power state shown until its LRO ends. */
  #power(name: string, action: string) {
    const vm = this.vms.get(name.toLowerCase());
    if (!vm)
      return notFound(
        'ResourceNotFound',
        `The Resource 'Microsoft.Compute/virtualMachines/${name}' was not found.`,
      );
    const change = powerChange(vm, action);
    if ('status' in change) return change;
    vm.provisioningState = 'Updating';
    vm.power = change.during;
    return this.#lro(202, undefined, `vm:${name.toLowerCase()}`, () => {
      vm.provisioningState = 'Succeeded';
      vm.power = change.done;
      return undefined;
    });
  }

  /** A disk new to `vm` that another VM holds or is taking (its update still running). */
  #heldElsewhere(vm: Vm, before: Json[], after: Json[]): { disk: string; holder: string } | undefined {
    const idOf = (d: Json) => String((d.managedDisk as Json | undefined)?.id ?? '').toLowerCase();
    const had = new Set(before.map(idOf));
    for (const entry of after) {
      const id = idOf(entry);
      if (had.has(id)) continue;
      const disk = [...this.disks.values()].find((d) => d.id.toLowerCase() === id);
      const holder =
        disk?.managedBy ??
        [...this.vms.values()].find((o) => o !== vm && o.dataDisks.some((d) => idOf(d) === id))?.id;
      if (disk && holder !== undefined && holder.toLowerCase() !== vm.id.toLowerCase())
        return { disk: disk.name, holder };
    }
    return undefined;
  }

  /**
   * The entries the VM keeps, as Compute treats detaches: one left out or marked
   * `toBeDetached` goes, but a stuck disk stays marked `toBeDetached`, unless the
   * update forces it (`detachOption: "ForceDetach"`), which also ends the stuck state.
   */
  #keptDisks(before: Json[], wanted: Json[]): Json[] {
    const idOf = (d: Json) => String((d.managedDisk as Json | undefined)?.id ?? '').toLowerCase();
    const diskOf = (d: Json) => [...this.disks.values()].find((disk) => disk.id.toLowerCase() === idOf(d));
    const kept: Json[] = [];
    for (const entry of wanted) {
      const disk = diskOf(entry);
      if (entry.toBeDetached !== true) kept.push(entry);
      else if (entry.detachOption === 'ForceDetach') {
        if (disk?.forced === 'stuck') disk.forced = undefined;
      } else if (disk?.forced === 'stuck') kept.push(entry);
    }
    for (const entry of before) {
      if (wanted.some((w) => idOf(w) === idOf(entry))) continue;
      if (diskOf(entry)?.forced === 'stuck') kept.push({ ...entry, toBeDetached: true });
    }
    return kept;
  }

  #applyDisks(vm: Vm, before: Json[], after: Json[]) {
    const idOf = (d: Json) => String((d.managedDisk as Json | undefined)?.id ?? '').toLowerCase();
    const afterIds = new Set(after.map(idOf));
    for (const disk of this.disks.values()) {
      const id = disk.id.toLowerCase();
      if (afterIds.has(id)) disk.managedBy = vm.id;
      else if (before.some((d) => idOf(d) === id) && disk.forced !== 'stuck') disk.managedBy = undefined;
    }
  }

  #lro(status: number, body: unknown, resource: string, finish: Operation['finish']) {
    const id = randomUUID();
    this.#ops.set(id, { polls: 0, resource, finish });
    const url = `${ARM}/subscriptions/${SUB}/providers/Microsoft.Compute/locations/${LOCATION}/operations/${id}?api-version=2024-07-01`;
    return { status, body, headers: { 'Azure-AsyncOperation': url, ...this.#retryAfterHeader() } };
  }

  #tick(resource: string) {
    for (const op of this.#ops.values()) if (op.resource === resource) this.#advance(op);
  }

  #advance(op: Operation) {
    op.polls++;
    if (op.polls >= this.#pollsToFinish && !op.done) op.done = { failure: op.finish() };
  }

  #poll(id: string) {
    const op = this.#ops.get(id);
    if (!op) return notFound('NotFound', `operation ${id} not found`);
    this.#advance(op);
    const base = { name: id, startTime: new Date().toISOString() };
    if (!op.done)
      return { status: 200, body: { ...base, status: 'InProgress' }, headers: this.#retryAfterHeader() };
    const failure = op.done.failure;
    return failure
      ? { status: 200, body: { ...base, status: 'Failed', error: failure } }
      : { status: 200, body: { ...base, status: 'Succeeded', endTime: new Date().toISOString() } };
  }

  #retryAfterHeader(): Record<string, string> {
    return this.#retryAfter === undefined ? {} : { 'Retry-After': String(this.#retryAfter) };
  }
}

function vmJson(vm: Vm): Json {
  const props = (vm.body.properties ?? {}) as Json;
  const statuses = [
    {
      code: `ProvisioningState/${vm.provisioningState.toLowerCase()}`,
      level: vm.failure && vm.provisioningState === 'Failed' ? 'Error' : 'Info',
      displayStatus: `Provisioning ${vm.provisioningState.toLowerCase()}`,
      ...(vm.failure && vm.provisioningState === 'Failed' ? { message: vm.failure.message } : {}),
    },
    { code: vm.power, level: 'Info', displayStatus: vm.power.replace('PowerState/', 'VM ') },
  ];
  return {
    name: vm.name,
    id: vm.id,
    type: 'Microsoft.Compute/virtualMachines',
    location: vm.body.location,
    tags: vm.body.tags,
    zones: vm.body.zones,
    etag: `"${vm.etag}"`,
    properties: {
      ...props,
      vmId: '0f47b100-583c-48e3-a4c0-aefc2b9bbcc1',
      storageProfile: { ...((props.storageProfile ?? {}) as Json), dataDisks: vm.dataDisks },
      provisioningState: vm.provisioningState,
      instanceView: {
        ...(vm.faultDomain === undefined
          ? {}
          : { platformFaultDomain: vm.faultDomain, platformUpdateDomain: 0 }),
        statuses,
      },
      timeCreated: '2024-07-01T10:00:00.0000000+00:00',
    },
  };
}

function diskJson(disk: Disk): Json {
  return {
    name: disk.name,
    id: disk.id,
    type: 'Microsoft.Compute/disks',
    location: LOCATION,
    ...(disk.zone === undefined ? {} : { zones: [disk.zone] }),
    ...(disk.managedBy === undefined ? {} : { managedBy: disk.managedBy }),
    ...(disk.tags === undefined ? {} : { tags: disk.tags }),
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    properties: {
      creationData: { createOption: 'Empty' },
      diskSizeGB: disk.sizeGiB,
      diskState: disk.managedBy === undefined ? 'Unattached' : 'Attached',
      provisioningState: disk.forced === 'error' ? 'Failed' : (disk.state ?? 'Succeeded'),
      uniqueId: `uid-${disk.name}`,
      timeCreated: '2024-07-01T10:00:00.0000000+00:00',
    },
  };
}

function error(status: number, code: string, message: string) {
  return { status, body: { error: { code, message } } };
}

function notFound(code: string, message: string) {
  return error(404, code, message);
}
