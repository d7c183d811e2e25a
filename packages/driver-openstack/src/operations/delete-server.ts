import { type DeleteServerResult, isBrokerError, type ServerRef } from '@hybrid-broker/core';
import { type ResolvedCallOptions, verdict } from '@hybrid-broker/core/driver-kit';
import { checkOpenStackId } from '../common/openstack-ids.js';
import type { NovaServer } from '../nova/nova-schemas.js';
import { type OpenStackOps, orGone, waitOn } from './openstack-ops.js';

/**
 * Nova `DELETE /servers/{id}`, then a wait until a read answers 404. A server
 * already gone is `{ deleted: false }`; ERROR without a `deleting` task ends the wait at once.
 */
export async function deleteServerOn(
  ops: OpenStackOps,
  request: ServerRef,
  call: ResolvedCallOptions,
): Promise<DeleteServerResult> {
  checkOpenStackId('server', request.serverId, 'serverId');
  try {
    await ops.nova.deleteServer(request.serverId, call.signal);
  } catch (error) {
    if (isBrokerError(error, 'not-found')) return { serverId: request.serverId, deleted: false };
    throw error;
  }
  if (call.wait === false) return { serverId: request.serverId, deleted: true };
  await waitOn<NovaServer | undefined, NovaServer>(
    ops,
    call,
    'delete',
    ops.reads.watchServer(request.serverId),
    true,
    (watch) => ({
      description: `server ${request.serverId} to be deleted`,
      probe: (signal) => orGone(watch.read(signal)),
      stateOf: (s) => s?.status ?? 'gone',
      check: (s) => {
        // Gone means 404: a DELETED row can still be read for a moment, and the contract promises not-found after the wait.
        if (s === undefined) return verdict.done;
        if (s.status === 'DELETED') return verdict.pending;
        // Nova sets task_state "deleting" before it answers the DELETE, also for a server already in ERROR;
        // ERROR without it means the delete itself failed, and waiting would only run out the deadline.
        if (s.status === 'ERROR' && s['OS-EXT-STS:task_state'] !== 'deleting') {
          return verdict.failed(s.fault?.message ?? `server ${s.id} is in ERROR and no longer deleting`);
        }
        return verdict.pending;
      },
    }),
  );
  return { serverId: request.serverId, deleted: true };
}
