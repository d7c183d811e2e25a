import { CreateTagsCommand, DeleteTagsCommand } from '@aws-sdk/client-ec2';
import {
  BrokerError,
  type MetadataChange,
  type Server,
  type SetServerMetadataRequest,
  type SetVolumeMetadataRequest,
  type Volume,
} from '@hybrid-broker/core';
import {
  EC2_TAG_LIMITS,
  type MetadataRules,
  type ResolvedCallOptions,
  runMetadataChange,
  verdict,
} from '@hybrid-broker/core/driver-kit';
import { IDEMPOTENCY_TAG } from './client-token.js';
import { ec2Call } from './ec2-calls.js';
import { checkEc2Id } from './ec2-input-checks.js';
import { toServer, toVolume } from './ec2-mappers.js';
import { type Ec2Ops, waitOn } from './ec2-ops.js';

/** EC2's tag rules; the `Name` tag (the resource's name, not in its metadata) counts against the 50. */
export const EC2_METADATA_RULES: MetadataRules = {
  limits: EC2_TAG_LIMITS,
  marker: IDEMPOTENCY_TAG,
  hidden: (resource) => (resource.name === undefined || resource.name === '' ? 0 : 1),
};

/** The `Name` tag is the resource's name on EC2: neither set nor removed as metadata. */
function refuseName(change: MetadataChange): void {
  const field = change.set && Object.hasOwn(change.set, 'Name') ? 'set.Name' : undefined;
  const named = field ?? ((change.remove ?? []).includes('Name') ? 'remove' : undefined);
  if (named === undefined) return;
  throw new BrokerError(
    'invalid-request',
    `${named}: the Name tag is the resource's name on EC2, not metadata`,
    { field: named, retryable: false },
  );
}

/** `CreateTags` of the pairs, then `DeleteTags` of the keys (no value: whatever it holds; an absent key is no error). */
async function sendTags(
  ops: Ec2Ops,
  id: string,
  set: Readonly<Record<string, string>>,
  remove: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const Resources = [id];
  const Tags = Object.entries(set).map(([Key, Value]) => ({ Key, Value }));
  if (Tags.length > 0)
    await ec2Call(`CreateTags ${id}`, signal, (o) =>
      ops.client.send(new CreateTagsCommand({ Resources, Tags }), o),
    );
  if (remove.length > 0) {
    const keys = remove.map((Key) => ({ Key }));
    await ec2Call(`DeleteTags ${id}`, signal, (o) =>
      ops.client.send(new DeleteTagsCommand({ Resources, Tags: keys }), o),
    );
  }
}

/**
 * `setVolumeMetadata` on EC2: `CreateTags` and `DeleteTags` on the volume, then a wait until
 * `DescribeVolumes` shows the change (EC2 reads are eventually consistent).
 */
export function setEbsVolumeMetadata(
  ops: Ec2Ops,
  request: SetVolumeMetadataRequest,
  call: ResolvedCallOptions,
): Promise<Volume> {
  const id = request.volumeId;
  checkEc2Id('volume', id, 'volumeId');
  refuseName(request);
  const read = async () => toVolume(await ops.reads.readVolume(id, call.signal), ops.region);
  return runMetadataChange<Volume>(
    request,
    EC2_METADATA_RULES,
    {
      read,
      send: (set, remove) => sendTags(ops, id, set, remove, call.signal),
      wait: async (description, check) =>
        toVolume(
          await waitOn(ops, call, ops.reads.volumeWait(id, 'setVolumeMetadata'), {
            description,
            check: (v) => check(toVolume(v, ops.region)),
            stateOf: (v) => toVolume(v, ops.region).providerStatus,
          }),
          ops.region,
        ),
    },
    call,
    `volume ${id}`,
  );
}

/** `setServerMetadata` on EC2: as {@link setEbsVolumeMetadata}, on the instance. */
export function setInstanceMetadata(
  ops: Ec2Ops,
  request: SetServerMetadataRequest,
  call: ResolvedCallOptions,
): Promise<Server> {
  const id = request.serverId;
  checkEc2Id('instance', id, 'serverId');
  refuseName(request);
  const read = async () => toServer(await ops.liveInstance(id, call.signal), ops.region);
  return runMetadataChange<Server>(
    request,
    EC2_METADATA_RULES,
    {
      read,
      send: (set, remove) => sendTags(ops, id, set, remove, call.signal),
      wait: async (description, check) => {
        const done = await waitOn(ops, call, ops.reads.instanceWait(id, 'setServerMetadata'), {
          description,
          // Not visible yet (EC2's eventual consistency) is pending, not gone.
          check: (i) => (i === undefined ? verdict.pending : check(toServer(i, ops.region))),
          stateOf: (i) => i?.State?.Name ?? 'not visible yet',
        });
        return done === undefined ? read() : toServer(done, ops.region);
      },
    },
    call,
    `server ${id}`,
  );
}
