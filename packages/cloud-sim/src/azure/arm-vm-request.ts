import { ArmError, type Json, type NicRecord } from './arm-model.js';

/** A VM create body after the checks Compute makes before accepting it. */
export interface ValidVmPut {
  readonly location: string;
  readonly zones: string[] | undefined;
  readonly tags: Record<string, string>;
  readonly properties: Json;
  readonly nicIds: string[];
}

const invalid = (target: string, message: string) =>
  new ArmError(400, 'InvalidParameter', `${message} Target: '${target}'.`);

/**
 * Validates a VirtualMachines_CreateOrUpdate body as Compute would: location,
 * a known size, an image reference, an admin user with an SSH key or
 * password, and existing NICs. Errors are ARM's `InvalidParameter` / `NotFound`.
 */
export function validateVmPut(
  body: Json | undefined,
  sizes: readonly string[],
  findNic: (id: string) => NicRecord | undefined,
): ValidVmPut {
  if (!body || typeof body !== 'object')
    throw new ArmError(
      400,
      'InvalidRequestContent',
      'The request content was invalid and could not be deserialized.',
    );
  const location = body.location;
  if (typeof location !== 'string' || location === '')
    throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  const props = (body.properties as Json | undefined) ?? {};
  const size = (props.hardwareProfile as Json | undefined)?.vmSize;
  if (typeof size !== 'string' || !sizes.includes(size)) {
    throw new ArmError(
      409,
      'SkuNotAvailable',
      `The requested VM size '${String(size)}' is not available in location '${location}'.`,
    );
  }
  const image = (props.storageProfile as Json | undefined)?.imageReference as Json | undefined;
  const urnOk =
    image && ['publisher', 'offer', 'sku'].every((k) => typeof image[k] === 'string' && image[k] !== '');
  if (!image || (!urnOk && typeof image.id !== 'string'))
    throw invalid('imageReference', 'An image reference (publisher/offer/sku/version or id) is required.');
  const os = (props.osProfile as Json | undefined) ?? {};
  if (typeof os.adminUsername !== 'string' || os.adminUsername === '')
    throw invalid('adminUsername', "Required parameter 'adminUsername' is missing (null).");
  const linux = os.linuxConfiguration as Json | undefined;
  const keys = ((linux?.ssh as Json | undefined)?.publicKeys as Json[] | undefined) ?? [];
  if (keys.length === 0 && typeof os.adminPassword !== 'string') {
    throw invalid(
      'linuxConfiguration',
      'Authentication using either SSH or by user name and password must be enabled in Linux profile.',
    );
  }
  if (typeof os.customData === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(os.customData)) {
    throw invalid('customData', 'Custom data in OSProfile must be in Base64 encoding.');
  }
  const refs = ((props.networkProfile as Json | undefined)?.networkInterfaces as Json[] | undefined) ?? [];
  if (refs.length === 0) throw invalid('networkProfile', 'At least one network interface is required.');
  const nicIds = refs.map((ref) => String(ref.id ?? ''));
  for (const id of nicIds) {
    const nic = findNic(id);
    if (!nic) throw new ArmError(404, 'NotFound', `Resource ${id} not found.`);
    if (nic.virtualMachine !== undefined)
      throw new ArmError(
        400,
        'NicInUse',
        `Network interface ${id} is used by existing resource ${nic.virtualMachine}.`,
      );
  }
  const zones = Array.isArray(body.zones) ? body.zones.map(String) : undefined;
  if (zones?.some((z) => !['1', '2', '3'].includes(z)))
    throw invalid('zones', `The zone(s) '${zones.join(',')}' for resource is not supported.`);
  return {
    location,
    zones,
    tags: (body.tags as Record<string, string> | undefined) ?? {},
    properties: props,
    nicIds,
  };
}
