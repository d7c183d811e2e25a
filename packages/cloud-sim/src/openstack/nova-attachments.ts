import type { RouteTable } from '../route-table.js';
import { type SimContext, SimError } from '../service.js';
import { objectField, optionalString, requiredString } from './json-fields.js';
import { COMPUTE_VERSIONS, requestedMinor } from './microversion.js';
import { findServer } from './nova-servers.js';
import { attachmentView } from './nova-views.js';
import { type Scope, scoped } from './openstack-endpoint.js';
import type { OpenStackSim } from './openstack-sim.js';
import type { ServerRecord, VolumeRecord } from './state.js';

const ATTACHMENTS = '/compute/{region}/v2.1/{project}/servers/{id}/os-volume_attachments';

/** Server states an attach or detach is allowed in (Nova's `check_instance_state`). */
const ATTACHABLE = new Set(['ACTIVE', 'SHUTOFF', 'PAUSED', 'SUSPENDED']);

/** Registers Nova's `os-volume_attachments` routes: list, show, attach, detach. */
export function addAttachmentRoutes(table: RouteTable, os: OpenStackSim): void {
  table
    .add(
      'GET',
      ATTACHMENTS,
      scoped(os, 'compute', (ctx, scope) => {
        const server = findServer(os, scope, ctx.params.id);
        const mv = requestedMinor(ctx.headers, COMPUTE_VERSIONS);
        return {
          status: 200,
          body: { volumeAttachments: server.volumes.map((v) => attachmentView(server.id, v, mv)) },
        };
      }),
    )
    .add(
      'GET',
      `${ATTACHMENTS}/{volumeId}`,
      scoped(os, 'compute', (ctx, scope) => {
        const server = findServer(os, scope, ctx.params.id);
        const bdm = server.volumes.find((v) => v.volumeId === ctx.params.volumeId);
        if (!bdm) throw new SimError(404, `Instance ${server.id} is not attached.`);
        const mv = requestedMinor(ctx.headers, COMPUTE_VERSIONS);
        return { status: 200, body: { volumeAttachment: attachmentView(server.id, bdm, mv) } };
      }),
    )
    .add(
      'POST',
      ATTACHMENTS,
      scoped(os, 'compute', (ctx, scope) => attach(os, ctx, scope)),
    )
    .add(
      'DELETE',
      `${ATTACHMENTS}/{volumeId}`,
      scoped(os, 'compute', (ctx, scope) => detach(os, ctx, scope)),
    );
}

function attach(os: OpenStackSim, ctx: SimContext, scope: Scope) {
  const mv = requestedMinor(ctx.headers, COMPUTE_VERSIONS);
  const body = objectField(ctx.json(), 'volumeAttachment');
  const volumeId = requiredString(body, 'volumeId');
  const requestedDevice = optionalString(body, 'device');
  const server = findServer(os, scope, ctx.params.id);
  checkServerState(server, 'attach_volume');
  const volume = os.state.volume(scope.region.name, scope.projectId, volumeId);
  if (!volume) throw new SimError(404, `Volume ${volumeId} could not be found.`);
  if (!os.nova.crossAzAttach && volume.availabilityZone !== server.availabilityZone) {
    throw new SimError(
      400,
      `Invalid volume: Instance ${server.id} and volume ${volume.id} are not in the same availability_zone. ` +
        `Instance is in ${server.availabilityZone}. Volume is in ${volume.availabilityZone}`,
    );
  }
  if (server.volumes.some((v) => v.volumeId === volume.id)) {
    throw new SimError(
      400,
      `Invalid volume: volume ${volume.id} is already attached to instance ${server.id}`,
    );
  }
  const multiattachOk = volume.multiattach && volume.status === 'in-use';
  if (volume.status !== 'available' && !multiattachOk) {
    throw new SimError(
      400,
      `Invalid volume: volume '${volume.id}' status must be 'available'. Currently in '${volume.status}'`,
    );
  }
  const device = pickDevice(server, requestedDevice, os.nova.deviceStyle);
  server.volumes.push({
    volumeId: volume.id,
    device,
    attachmentId: os.random.uuid(),
    bdmId: os.random.uuid(),
    tag: optionalString(body, 'tag') ?? null,
  });
  os.lifecycle.attach(server, volume, server.volumes.length - 1, ctx.transition);
  const bdm = server.volumes[server.volumes.length - 1];
  return { status: 200, body: { volumeAttachment: bdm ? attachmentView(server.id, bdm, mv) : {} } };
}

function detach(os: OpenStackSim, ctx: SimContext, scope: Scope) {
  const server = findServer(os, scope, ctx.params.id);
  checkServerState(server, 'detach_volume');
  const volumeId = ctx.params.volumeId ?? '';
  const volume: VolumeRecord | undefined = os.state.volumes.get(volumeId);
  if (!volume || !server.volumes.some((v) => v.volumeId === volumeId)) {
    throw new SimError(404, `volume_id not found: ${volumeId}`);
  }
  if (volume.status !== 'in-use' || !volume.attachments.some((a) => a.serverId === server.id)) {
    throw new SimError(
      400,
      "Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.",
    );
  }
  const bdm = server.volumes.find((v) => v.volumeId === volumeId);
  if (bdm) bdm.detachRequested = true;
  os.lifecycle.detach(server, volume, ctx.transition);
  return { status: 202 };
}

function checkServerState(server: ServerRecord, action: string): void {
  if (server.taskState !== null) {
    throw new SimError(
      409,
      `Cannot '${action}' instance ${server.id} while it is in task_state ${server.taskState}`,
    );
  }
  if (!ATTACHABLE.has(server.status)) {
    throw new SimError(
      409,
      `Cannot '${action}' instance ${server.id} while it is in vm_state ${server.vmState}`,
    );
  }
}

/** The requested device if valid and free, else the next free `/dev/vdX` or `/dev/sdX` (vda/sda is the root disk). */
function pickDevice(server: ServerRecord, requested: string | undefined, style: 'vd' | 'sd'): string {
  const used = new Set(server.volumes.map((v) => v.device));
  if (requested !== undefined) {
    if (!/^\/dev\/[a-z]+$/.test(requested)) {
      throw new SimError(400, `The supplied device path (${requested}) is invalid.`);
    }
    if (used.has(requested) || requested === `/dev/${style}a`) {
      throw new SimError(400, `The supplied device path (${requested}) is in use.`);
    }
    return requested;
  }
  for (let c = 'b'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
    const device = `/dev/${style}${String.fromCharCode(c)}`;
    if (!used.has(device)) return device;
  }
  throw new SimError(403, 'Maximum number of volumes attached to the instance reached.');
}
