import {
  isBrokerError,
  type Server,
  type SetServerMetadataRequest,
  type SetVolumeMetadataRequest,
  type Volume,
} from '@hybrid-broker/core';
import {
  type MetadataRules,
  OPENSTACK_METADATA_LIMITS,
  type ResolvedCallOptions,
  runMetadataChange,
} from '@hybrid-broker/core/driver-kit';
import { checkOpenStackId } from '../common/openstack-ids.js';
import { IDEMPOTENCY_METADATA_KEY } from './create-server.js';
import { toServer, toVolume } from './openstack-mapping.js';
import { type OpenStackOps, waitOn } from './openstack-ops.js';

/** Nova's and Cinder's metadata rules: keys and values up to 255, the marker the driver's. */
export const OPENSTACK_METADATA_RULES: MetadataRules = {
  limits: OPENSTACK_METADATA_LIMITS,
  marker: IDEMPOTENCY_METADATA_KEY,
};

/** A key already gone when its delete arrives (Nova's and Cinder's 404) is what a remove wants. */
async function removed(remove: Promise<unknown>): Promise<void> {
  await remove.catch((error: unknown) => {
    if (!isBrokerError(error, 'not-found')) throw error;
  });
}

/**
 * `setVolumeMetadata` on Cinder: `POST /volumes/{id}/metadata` merges the pairs, `DELETE
 * /volumes/{id}/metadata/{key}` removes each key, then a wait until a read shows the change.
 */
export function setVolumeMetadataOn(
  ops: OpenStackOps,
  request: SetVolumeMetadataRequest,
  call: ResolvedCallOptions,
): Promise<Volume> {
  const id = request.volumeId;
  checkOpenStackId('volume', id, 'volumeId');
  return runMetadataChange<Volume>(
    request,
    OPENSTACK_METADATA_RULES,
    {
      read: () => ops.getVolume({ volumeId: id }, call),
      send: async (set, remove) => {
        if (Object.keys(set).length > 0) await ops.cinder.changeMetadata(id, { set }, call.signal);
        for (const key of remove)
          await removed(ops.cinder.changeMetadata(id, { removeKey: key }, call.signal));
      },
      wait: (description, check) =>
        waitOn(ops, call, 'setVolumeMetadata', ops.reads.watchVolume(id), true, (watch) => ({
          description,
          probe: async (signal) => toVolume(await watch.read(signal), ops.region),
          stateOf: (v) => v.providerStatus,
          check,
        })),
    },
    call,
    `volume ${id}`,
  );
}

/**
 * `setServerMetadata` on Nova: `POST /servers/{id}/metadata` merges the pairs, `DELETE
 * /servers/{id}/metadata/{key}` removes each key, then a wait until a read shows the change.
 */
export function setServerMetadataOn(
  ops: OpenStackOps,
  request: SetServerMetadataRequest,
  call: ResolvedCallOptions,
): Promise<Server> {
  const id = request.serverId;
  checkOpenStackId('server', id, 'serverId');
  const path = `/servers/${encodeURIComponent(id)}/metadata`;
  return runMetadataChange<Server>(
    request,
    OPENSTACK_METADATA_RULES,
    {
      read: () => ops.getServer({ serverId: id }, call),
      send: async (set, remove) => {
        if (Object.keys(set).length > 0)
          await ops.nova.send({ method: 'POST', path, body: { metadata: set }, signal: call.signal });
        for (const key of remove) {
          const one = `${path}/${encodeURIComponent(key)}`;
          await removed(ops.nova.send({ method: 'DELETE', path: one, signal: call.signal }));
        }
      },
      wait: (description, check) =>
        waitOn(ops, call, 'setServerMetadata', ops.reads.watchServer(id), true, (watch) => ({
          description,
          probe: async (signal) => toServer(await watch.read(signal), ops.region),
          stateOf: (s) => s.providerStatus,
          check,
        })),
    },
    call,
    `server ${id}`,
  );
}
