import { randomUUID } from 'node:crypto';
import { faultView } from './fake-views.js';

type Reply = [number, unknown, Record<string, string>];
const reqId = () => ({ 'x-openstack-request-id': `req-${randomUUID()}` });

/**
 * Nova's `/servers/{id}/metadata` and Cinder's `/volumes/{id}/metadata`: `POST` merges the
 * pairs (200 with every pair), `DELETE .../{key}` removes one (Nova 204, Cinder 200; a key
 * that is not there is 404 "Metadata item was not found"), as the compute and block storage
 * API references document them.
 */
export function fakeMetadata(
  resource: { metadata?: Record<string, string> },
  method: string,
  key: string | undefined,
  body: unknown,
  deleted: 200 | 204,
): Reply {
  resource.metadata ??= {};
  const metadata = resource.metadata;
  if (method === 'POST' && key === undefined) {
    const pairs = (body as { metadata?: Record<string, string> } | undefined)?.metadata;
    if (pairs === undefined || typeof pairs !== 'object')
      return [400, faultView('badRequest', 400, 'Malformed request body'), reqId()];
    Object.assign(metadata, pairs);
    return [200, { metadata: { ...metadata } }, reqId()];
  }
  if (method === 'DELETE' && key !== undefined) {
    const name = decodeURIComponent(key);
    if (!Object.hasOwn(metadata, name))
      return [404, faultView('itemNotFound', 404, 'Metadata item was not found'), reqId()];
    Reflect.deleteProperty(metadata, name);
    return [deleted, '', reqId()];
  }
  return [405, faultView('methodNotAllowed', 405, 'The method is not allowed'), reqId()];
}
