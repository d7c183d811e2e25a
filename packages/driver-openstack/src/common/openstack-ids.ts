import { BrokerError } from '@hybrid-broker/core';

/** A UUID in its 8-4-4-4-12 form, either case: how Nova and Cinder issue ids. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * A decimal server id: older Nova bodies carry numeric ids, which the driver
 * reads as strings (see `nova-schemas.ts`), so a caller may hand one back.
 */
const NUMERIC = /^[0-9]{1,19}$/;

/** The kinds of id a caller hands the OpenStack driver. */
export type OpenStackIdKind = 'server' | 'volume' | 'snapshot' | 'image';

/** True when `id` is an id Nova (`server`) or Cinder (`volume`) could hold. */
export function isOpenStackId(kind: OpenStackIdKind, id: string): boolean {
  return UUID.test(id) || (kind === 'server' && NUMERIC.test(id));
}

/**
 * Refuses an id Nova or Cinder could not hold, before anything is sent. Such
 * an id is the caller's mistake, not a verdict that the resource is gone:
 * `deleteServer({ serverId: '../x' })` is `invalid-request` naming the field,
 * never `{ deleted: false }`. Nova and Cinder issue UUIDs; servers also take
 * the numeric ids older Nova bodies carry.
 *
 * @example
 * checkOpenStackId('volume', request.volumeId, 'volumeId');
 */
export function checkOpenStackId(kind: OpenStackIdKind, id: string, field: string): void {
  if (isOpenStackId(kind, id)) return;
  const expected =
    kind === 'server'
      ? 'a Nova server id (a UUID such as 2390fb4d-1693-45d7-b309-e29c4af16538, or a numeric id)'
      : `a ${kind === 'image' ? 'Glance' : 'Cinder'} ${kind} id (a UUID such as a26887c6-c47b-4654-abb5-dfadf7d3f803)`;
  throw new BrokerError(
    'invalid-request',
    `${field}: expected ${expected}, got ${JSON.stringify(id.slice(0, 40))}`,
    {
      field,
      retryable: false,
    },
  );
}
