import type { TransitionFault } from '../service.js';
import type { ArmChange, ArmCloud } from './arm-cloud.js';
import { ArmError, type DiskRecord, type Json } from './arm-model.js';

const DISK_TYPE = 'Microsoft.Compute/disks';

/** The source a `creationData` names, checked as Disks_CreateOrUpdate checks it (400 or 404 otherwise). */
function checkCreationData(cloud: ArmCloud, data: Json | undefined, sizeGiB: unknown): Json {
  // A body without creationData is taken as an empty disk (the seeded bodies of older tests send none).
  const option = String(data?.createOption ?? 'Empty');
  if (option === 'Empty') {
    if (typeof sizeGiB !== 'number' || sizeGiB < 1)
      throw new ArmError(400, 'InvalidParameter', "Required parameter 'diskSizeGB' is missing (null).");
    return { createOption: 'Empty' };
  }
  if (option === 'Copy') {
    const source = String(data?.sourceResourceId ?? '');
    if (source === '')
      throw new ArmError(400, 'InvalidParameter', "Required parameter 'sourceResourceId' is missing (null).");
    // the emulation keeps no snapshots yet: a disk is the one source it can copy
    if (!cloud.disks.has(source.toLowerCase()))
      throw new ArmError(404, 'NotFound', `Resource ${source} is not found.`);
    return { createOption: 'Copy', sourceResourceId: source };
  }
  if (option === 'FromImage') {
    const image = (data?.imageReference ?? data?.galleryImageReference) as Json | undefined;
    if (typeof image?.id !== 'string' || !/\/versions\/[^/]+$/i.test(image.id))
      throw new ArmError(400, 'InvalidParameter', 'The value of parameter imageReference.id is invalid.');
    return { ...data, createOption: 'FromImage' };
  }
  throw new ArmError(
    400,
    'InvalidParameter',
    `The value '${option}' of parameter createOption is not supported here.`,
  );
}

/**
 * Disks_CreateOrUpdate: a new disk answers 200 with its body (provisioningState
 * Updating) and the async operation headers, and is Succeeded after `updateMs`;
 * a PUT of an existing name updates its tags in place (one disk per name, as ARM).
 */
export function putDisk(
  cloud: ArmCloud,
  resourceGroup: string,
  name: string,
  body: Json,
  fault: TransitionFault | undefined,
): ArmChange {
  const props = (body.properties as Json | undefined) ?? {};
  const key = cloud.resourceId(resourceGroup, DISK_TYPE, name).toLowerCase();
  const tags = body.tags as Record<string, string> | undefined;
  const existing = cloud.disks.get(key);
  if (existing) {
    if (tags !== undefined) existing.tags = tags;
    return { status: 200, body: undefined, operationId: cloud.operations.start(0, () => undefined) };
  }
  const creationData = checkCreationData(cloud, props.creationData as Json | undefined, props.diskSizeGB);
  const zone = Array.isArray(body.zones) ? String(body.zones[0]) : undefined;
  const id = cloud.addDisk({
    resourceGroup,
    name,
    ...(zone === undefined ? {} : { zone }),
    ...(typeof props.diskSizeGB === 'number' ? { sizeGiB: props.diskSizeGB } : {}),
  });
  const seeded = cloud.disks.get(id.toLowerCase()) as DiskRecord;
  const sku = (body.sku as Json | undefined)?.name;
  const disk: DiskRecord = {
    ...seeded,
    ...(typeof sku === 'string' ? { sku } : {}),
    ...(typeof body.location === 'string' ? { location: body.location } : {}),
    tags: tags ?? {},
    creationData,
    provisioningState: 'Updating',
  };
  cloud.disks.set(id.toLowerCase(), disk);
  const operationId = cloud.operations.start(
    fault?.outcome === 'stuck' ? 'never' : cloud.timings.updateMs,
    () => {
      disk.provisioningState = fault?.outcome === 'error' ? 'Failed' : 'Succeeded';
      return undefined;
    },
  );
  return { status: 200, body: undefined, operationId };
}

/**
 * Disks_Delete: 204 when there is none, ARM's 409 while a VM holds it, else 202
 * with the operation headers and the disk gone after `deleteMs`.
 */
export function deleteDisk(cloud: ArmCloud, resourceGroup: string, name: string): ArmChange {
  const key = cloud.resourceId(resourceGroup, DISK_TYPE, name).toLowerCase();
  const disk = cloud.disks.get(key);
  if (!disk) return { status: 204, body: undefined, operationId: undefined };
  if (disk.managedBy !== undefined) {
    throw new ArmError(409, 'OperationNotAllowed', `Disk ${disk.name} is attached to VM ${disk.managedBy}.`);
  }
  disk.provisioningState = 'Deleting';
  const operationId = cloud.operations.start(cloud.timings.deleteMs, () => {
    cloud.disks.delete(key);
    return undefined;
  });
  return { status: 202, body: undefined, operationId };
}
