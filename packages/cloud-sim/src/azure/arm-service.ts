import type { SimRandom } from '../random.js';
import { RouteTable } from '../route-table.js';
import type { SimContext, SimError, SimReply, SimService } from '../service.js';
import { availabilitySetView } from './arm-availability-sets.js';
import { addArmCatalogRoutes } from './arm-catalog.js';
import type { ArmChange, ArmCloud } from './arm-cloud.js';
import { addDiskTagRoutes } from './arm-disk-tags.js';
import { deleteDisk, putDisk } from './arm-disks.js';
import { ArmError, codeForStatus, type DiskRecord, type Json, resourceNotFound } from './arm-model.js';
import { powerVm, type VmPowerAction } from './arm-power.js';
import { diskView, nicView, operationView, vmView } from './arm-views.js';

/** Options of the ARM service. */
export interface ArmServiceOptions {
  /** Adds `Retry-After: <s>` to LRO responses, as ARM does (it makes SDK pollers wait that long). */
  readonly retryAfterSeconds?: number;
}

const GROUP = '/subscriptions/{sub}/resourceGroups/{rg}/providers';
const VM = `${GROUP}/Microsoft.Compute/virtualMachines/{name}`;
const DISK = `${GROUP}/Microsoft.Compute/disks/{name}`;
const DISK_TYPE = 'Microsoft.Compute/disks';
const NIC = `${GROUP}/Microsoft.Network/networkInterfaces/{name}`;
const AVSET = `${GROUP}/Microsoft.Compute/availabilitySets/{name}`;
const VMS = `${GROUP}/Microsoft.Compute/virtualMachines`;
const DISKS = `${GROUP}/Microsoft.Compute/disks`;
const VM_ACTION = `${VM}/{action}`;
const OPERATION = '/subscriptions/{sub}/providers/Microsoft.Compute/locations/{location}/operations/{id}';

/**
 * Azure Resource Manager for Microsoft.Compute VMs and disks and
 * Microsoft.Network NICs: bearer auth, `api-version`, ETags, LROs with
 * `Azure-AsyncOperation` and `Location`, and ARM's `{ error: { code, message } }`.
 */
export function createArmService(
  cloud: ArmCloud,
  random: SimRandom,
  options: ArmServiceOptions = {},
): SimService {
  const lro = (ctx: SimContext, change: ArmChange, body: () => Json | undefined): SimReply => {
    const headers: Record<string, string> = {};
    if (change.operationId !== undefined) {
      const op = `${ctx.origin}/subscriptions/${ctx.params.sub}/providers/Microsoft.Compute/locations/${cloud.location}/operations/${change.operationId}`;
      headers['azure-asyncoperation'] =
        `${op}?p=${random.hex(4)}&api-version=${ctx.query.get('api-version')}`;
      if (change.status === 202)
        headers.location = `${op}?monitor=true&api-version=${ctx.query.get('api-version')}`;
      if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
    }
    return {
      status: change.status,
      body: change.status === 202 || change.status === 204 ? undefined : body(),
      headers,
    };
  };
  const ifHeaders = (ctx: SimContext) => ({
    ...(typeof ctx.headers['if-match'] === 'string' ? { ifMatch: ctx.headers['if-match'] } : {}),
    ...(typeof ctx.headers['if-none-match'] === 'string'
      ? { ifNoneMatch: ctx.headers['if-none-match'] }
      : {}),
  });
  const vmBody = (ctx: SimContext) => () =>
    vmView(cloud.vm(ctx.params.rg ?? '', ctx.params.name ?? ''), false);
  // A VM PUT and PATCH differ only in the model's call: both answer as an LRO with the VM.
  const vmWrite =
    (write: 'putVm' | 'patchVm') =>
    (ctx: SimContext): SimReply =>
      lro(
        ctx,
        cloud[write](
          ctx.params.rg ?? '',
          ctx.params.name ?? '',
          ctx.json() as Json,
          ifHeaders(ctx),
          ctx.transition,
        ),
        vmBody(ctx),
      );
  // ARM lists a resource group's VMs without their instance view, and pages with `nextLink`.
  const inGroup = (ctx: SimContext, id: string) =>
    id
      .toLowerCase()
      .startsWith(`/subscriptions/${ctx.params.sub}/resourcegroups/${ctx.params.rg}/`.toLowerCase());
  const table = new RouteTable()
    .add('GET', VMS, (ctx) => ({
      status: 200,
      body: {
        value: [...cloud.vms.values()].filter((vm) => inGroup(ctx, vm.id)).map((vm) => vmView(vm, false)),
      },
    }))
    .add('GET', DISKS, (ctx) => ({
      status: 200,
      body: { value: [...cloud.disks.values()].filter((d) => inGroup(ctx, d.id)).map((d) => diskView(d)) },
    }))
    .add('GET', VM, (ctx) => {
      const vm = cloud.vm(ctx.params.rg ?? '', ctx.params.name ?? '');
      const expand = (ctx.query.get('$expand') ?? '').toLowerCase() === 'instanceview';
      return { status: 200, body: vmView(vm, expand), headers: { etag: `"${vm.etag}"` } };
    })
    .add('PUT', VM, vmWrite('putVm'))
    .add('PATCH', VM, vmWrite('patchVm'))
    .add('DELETE', VM, (ctx) =>
      lro(ctx, cloud.deleteVm(ctx.params.rg ?? '', ctx.params.name ?? '', ctx.transition), () => undefined),
    )
    .add('POST', VM_ACTION, (ctx) => {
      const action = ctx.params.action ?? '';
      if (!['start', 'powerOff', 'deallocate', 'restart'].includes(action))
        throw new ArmError(404, 'NotFound', `The action '${action}' is not supported by this emulation.`);
      const [rg, name] = [ctx.params.rg ?? '', ctx.params.name ?? ''];
      return lro(ctx, powerVm(cloud, rg, name, action as VmPowerAction), () => undefined);
    })
    .add('GET', DISK, (ctx) => {
      const id = cloud.resourceId(ctx.params.rg ?? '', 'Microsoft.Compute/disks', ctx.params.name ?? '');
      const disk = cloud.disks.get(id.toLowerCase());
      if (!disk)
        throw resourceNotFound('Microsoft.Compute/disks', ctx.params.name ?? '', ctx.params.rg ?? '');
      return { status: 200, body: diskView(disk) };
    })
    .add('PUT', DISK, (ctx) => {
      const [rg, name] = [ctx.params.rg ?? '', ctx.params.name ?? ''];
      const change = putDisk(cloud, rg, name, (ctx.json() as Json | undefined) ?? {}, ctx.transition);
      return lro(ctx, change, () =>
        diskView(cloud.disks.get(cloud.resourceId(rg, DISK_TYPE, name).toLowerCase()) as DiskRecord),
      );
    })
    .add('DELETE', DISK, (ctx) =>
      lro(ctx, deleteDisk(cloud, ctx.params.rg ?? '', ctx.params.name ?? ''), () => undefined),
    )
    .add('GET', NIC, (ctx) => {
      const id = cloud.resourceId(
        ctx.params.rg ?? '',
        'Microsoft.Network/networkInterfaces',
        ctx.params.name ?? '',
      );
      const nic = cloud.nics.get(id.toLowerCase());
      if (!nic)
        throw resourceNotFound(
          'Microsoft.Network/networkInterfaces',
          ctx.params.name ?? '',
          ctx.params.rg ?? '',
        );
      return { status: 200, body: nicView(nic) };
    })
    // 200 when deleted, 204 when there was none (ARM's synchronous answers).
    .add('DELETE', NIC, (ctx) => ({
      status: cloud.deleteNic(ctx.params.rg ?? '', ctx.params.name ?? '') ? 200 : 204,
    }))
    .add('PUT', NIC, (ctx) => ({
      status: 201,
      body: nicView(
        cloud.putNic(ctx.params.rg ?? '', ctx.params.name ?? '', (ctx.json() as Json | undefined) ?? {}),
      ),
    }))
    .add('GET', AVSET, (ctx) => {
      const [rg, name] = [ctx.params.rg ?? '', ctx.params.name ?? ''];
      const set = cloud.availabilitySets.get(
        cloud.resourceId(rg, 'Microsoft.Compute/availabilitySets', name),
        rg,
        name,
      );
      return { status: 200, body: availabilitySetView(set, cloud.vms.values()) };
    })
    .add('PUT', AVSET, (ctx) => {
      const [rg, name] = [ctx.params.rg ?? '', ctx.params.name ?? ''];
      const id = cloud.resourceId(rg, 'Microsoft.Compute/availabilitySets', name);
      const set = cloud.availabilitySets.put(id, rg, name, ctx.json() as Json | undefined);
      // Synchronous, and 200 whether made or updated (the REST spec of AvailabilitySets_CreateOrUpdate has no 201).
      return { status: 200, body: availabilitySetView(set, cloud.vms.values()) };
    })
    .add('DELETE', AVSET, (ctx) => {
      const [rg, name] = [ctx.params.rg ?? '', ctx.params.name ?? ''];
      const id = cloud.resourceId(rg, 'Microsoft.Compute/availabilitySets', name).toLowerCase();
      return { status: cloud.availabilitySets.sets.delete(id) ? 200 : 204 };
    })
    .add('GET', OPERATION, (ctx): SimReply => {
      const op = cloud.operations.get(ctx.params.id ?? '');
      if (!op) throw new ArmError(404, 'NotFound', `Operation ${ctx.params.id} was not found.`);
      const retry: Record<string, string> =
        options.retryAfterSeconds === undefined ? {} : { 'retry-after': String(options.retryAfterSeconds) };
      // the `Location` monitor URL answers 202 until done, then 200; the status URL always 200
      if (ctx.query.get('monitor') === 'true')
        return op.status === 'InProgress' ? { status: 202, headers: retry } : { status: 200 };
      return { status: 200, body: operationView(op), headers: op.status === 'InProgress' ? retry : {} };
    });
  addArmCatalogRoutes(table, cloud);
  addDiskTagRoutes(table, cloud, DISK);
  return {
    name: 'azure-arm',
    match(req) {
      if (!req.path.startsWith('/subscriptions/')) return undefined;
      const route = table.match(req.method, req.path);
      if (!route) return undefined;
      return {
        ...route,
        handle(ctx) {
          checkRequest(ctx, cloud);
          return route.handle(ctx);
        },
      };
    },
    formatError: (error: SimError) => ({
      error: {
        code: error instanceof ArmError ? error.code : codeForStatus(error.status),
        message: error.message,
      },
    }),
    responseHeaders: () => ({
      'x-ms-request-id': random.uuid(),
      'x-ms-correlation-request-id': random.uuid(),
    }),
  };
}

/** ARM's checks before any handler: a bearer token, an api-version, a known subscription. */
function checkRequest(ctx: SimContext, cloud: ArmCloud): void {
  const auth = ctx.headers.authorization;
  if (typeof auth !== 'string' || !/^Bearer \S+/.test(auth)) {
    throw new ArmError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
    );
  }
  if (!ctx.query.get('api-version')) {
    throw new ArmError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (ctx.params.sub !== cloud.subscriptionId) {
    throw new ArmError(
      404,
      'SubscriptionNotFound',
      `The subscription '${ctx.params.sub}' could not be found.`,
    );
  }
}
