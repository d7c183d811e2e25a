import {
  isBrokerError,
  type PowerOperation,
  type RebootServerRequest,
  type Server,
  type ServerRef,
} from '@hybrid-broker/core';
import { type ResolvedCallOptions, runPower } from '@hybrid-broker/core/driver-kit';
import { novaTaskOf } from './nova-power-state.js';
import { toServer } from './openstack-mapping.js';
import { type OpenStackOps, waitOn } from './openstack-ops.js';

/** The body of Nova's server action for each power operation. */
function actionBody(operation: PowerOperation, request: RebootServerRequest): Record<string, unknown> {
  if (operation === 'startServer') return { 'os-start': null };
  if (operation === 'stopServer') return { 'os-stop': null };
  return { reboot: { type: request.hard === true ? 'HARD' : 'SOFT' } };
}

/**
 * A power call on Nova (`POST /servers/{id}/action` with `os-start`, `os-stop` or `reboot`),
 * through core's engine. Nova's 409 "while it is in task_state/vm_state" (`invalid-state`)
 * is a busy server or a race: the engine reads again and decides.
 */
export function powerOn(
  ops: OpenStackOps,
  operation: PowerOperation,
  request: ServerRef & Pick<RebootServerRequest, 'hard'>,
  call: ResolvedCallOptions,
): Promise<Server> {
  const id = request.serverId;
  const path = `/servers/${encodeURIComponent(id)}/action`;
  return runPower(
    operation,
    {
      read: () => ops.getServer({ serverId: id }, call),
      busy: novaTaskOf,
      send: async () => {
        await ops.nova.send({
          method: 'POST',
          path,
          body: actionBody(operation, request),
          signal: call.signal,
        });
      },
      isBusy: (error) => isBrokerError(error, 'invalid-state'),
      wait: (description, check, justSent) =>
        waitOn(ops, call, operation, ops.reads.watchServer(id), justSent, (watch) => ({
          description,
          probe: async (signal) => toServer(await watch.read(signal), ops.region),
          stateOf: (s) => s.providerPowerState ?? s.providerStatus,
          check,
        })),
    },
    call,
  );
}
