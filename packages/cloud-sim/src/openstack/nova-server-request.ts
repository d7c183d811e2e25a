import { SimError } from '../service.js';
import {
  isObject,
  type JsonObject,
  objectField,
  optionalString,
  requiredString,
  stringMap,
} from './json-fields.js';
import type { OpenStackSim } from './openstack-sim.js';
import type { Region } from './regions.js';

/** A validated `POST /servers` request. */
export interface ServerCreateRequest {
  readonly name: string;
  readonly imageId: string;
  readonly flavorId: string;
  readonly availabilityZone: string;
  readonly networks: string[];
  readonly metadata: Record<string, string>;
  readonly keyName: string | null;
  readonly userData: string | null;
  readonly securityGroups: string[];
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Validates a create-server body the way Nova's schema and API layer do (messages included). */
export function parseServerCreate(
  body: unknown,
  os: OpenStackSim,
  region: Region,
  mv: number,
): ServerCreateRequest {
  const server = objectField(body, 'server');
  const name = requiredString(server, 'name');
  if (name.length > 255) throw new SimError(400, 'Invalid input for field/attribute name. Value is too long');
  const imageRef = requiredString(server, 'imageRef');
  const image = os.image(lastSegment(imageRef));
  if (!image || image.id !== lastSegment(imageRef)) throw new SimError(400, 'Can not find requested image');
  const flavorRef = String(server.flavorRef ?? '');
  const flavor = os.flavors.find((f) => f.id === lastSegment(flavorRef));
  if (!flavor) throw new SimError(400, 'Invalid flavorRef provided.');
  const zone = optionalString(server, 'availability_zone') ?? region.availabilityZones[0] ?? region.name;
  if (!region.availabilityZones.includes(zone.split(':')[0] ?? zone)) {
    throw new SimError(400, 'The requested availability zone is not available');
  }
  const userData = optionalString(server, 'user_data') ?? null;
  if (userData !== null && (!BASE64.test(userData) || userData.length % 4 !== 0)) {
    throw new SimError(400, "Invalid input for field/attribute user_data. Value: ... is not a 'base64'");
  }
  const metadata = stringMap(server, 'metadata');
  if (Object.keys(metadata).length > 128) throw new SimError(403, 'Quota exceeded for metadata_items');
  return {
    name,
    imageId: image.id,
    flavorId: flavor.id,
    availabilityZone: zone.split(':')[0] ?? zone,
    networks: networks(server, os, mv),
    metadata,
    keyName: optionalString(server, 'key_name') ?? null,
    userData,
    securityGroups: securityGroups(server),
  };
}

function networks(server: JsonObject, os: OpenStackSim, mv: number): string[] {
  const raw = server.networks;
  if (raw === undefined) {
    if (mv >= 37) {
      throw new SimError(
        400,
        "Invalid input for field/attribute server. Value: ... 'networks' is a required property",
      );
    }
    return [];
  }
  if (raw === 'auto') return [];
  if (raw === 'none') return ['none'];
  if (!Array.isArray(raw)) throw new SimError(400, 'Invalid input for field/attribute networks.');
  return raw.map((entry: unknown) => {
    if (!isObject(entry)) throw new SimError(400, 'Invalid input for field/attribute networks.');
    const uuid = optionalString(entry, 'uuid');
    if (uuid === undefined) return os.networks[0]?.name ?? 'private';
    const network = os.networks.find((n) => n.id === uuid);
    if (!network) throw new SimError(400, `Network ${uuid} could not be found.`);
    return network.name;
  });
}

function securityGroups(server: JsonObject): string[] {
  const raw = server.security_groups;
  if (raw === undefined) return ['default'];
  if (!Array.isArray(raw)) throw new SimError(400, 'Invalid input for field/attribute security_groups.');
  return raw.map((g: unknown) => (isObject(g) && typeof g.name === 'string' ? g.name : 'default'));
}

/** The id at the end of an id-or-URL reference (Nova accepts both for imageRef/flavorRef). */
function lastSegment(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}
