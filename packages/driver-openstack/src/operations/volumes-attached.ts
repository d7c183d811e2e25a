import type { NovaServer } from '../nova/nova-schemas.js';

/**
 * Whether Nova's server body still lists `volumeId` among its block-device mappings
 * (`os-extended-volumes:volumes_attached`, in `GET /servers/{id}` and `/servers/detail`
 * from microversion 2.3 on; the same rows `GET .../os-volume_attachments/{volumeId}` reads).
 * A server that is gone lists nothing. Undefined when the body does not carry the field
 * in the documented shape, so the caller asks Nova's attachment API instead.
 */
export function serverListsVolume(server: NovaServer | undefined, volumeId: string): boolean | undefined {
  if (server === undefined) return false;
  const attached: unknown = server['os-extended-volumes:volumes_attached'];
  if (!Array.isArray(attached)) return undefined;
  const ids: string[] = [];
  for (const entry of attached) {
    const id: unknown = (entry as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return undefined;
    ids.push(id.toLowerCase());
  }
  return ids.includes(volumeId.toLowerCase());
}
