import {
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeVolumesCommand,
  type Volume as Ec2Volume,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import {
  BrokerError,
  type CreateVolumeRequest,
  type DeleteVolumeResult,
  isBrokerError,
  type Volume,
  type VolumeRef,
} from '@hybrid-broker/core';
import {
  checkMetadataLimits,
  checkSameVolumeCreate,
  createVolumeDigest,
  EC2_TAG_LIMITS,
  REQUEST_DIGEST_KEY,
  type ResolvedCallOptions,
  verdict,
} from '@hybrid-broker/core/driver-kit';
import { clientTokenFor, IDEMPOTENCY_TAG } from './client-token.js';
import { ec2Call } from './ec2-calls.js';
import { checkEc2Id } from './ec2-input-checks.js';
import { toVolume } from './ec2-mappers.js';
import { type Ec2Ops, waitOn } from './ec2-ops.js';

/** The EBS volume types CreateVolume takes. */
const EBS_TYPES: readonly string[] = ['standard', 'io1', 'io2', 'gp2', 'gp3', 'sc1', 'st1'];

/** The checks EC2 would otherwise answer with a 400, or the driver would misread. */
function checkInput(request: CreateVolumeRequest): void {
  // Name, the idempotency tag and the digest are the driver's: three of EC2's 50.
  checkMetadataLimits(request.metadata, EC2_TAG_LIMITS, IDEMPOTENCY_TAG, 3);
  if (request.metadata && Object.hasOwn(request.metadata, 'Name')) {
    throw new BrokerError(
      'invalid-request',
      'metadata.Name: the Name tag is the volume name on EC2; set `name`',
      {
        field: 'metadata.Name',
        retryable: false,
      },
    );
  }
  if (request.volumeType !== undefined && !EBS_TYPES.includes(request.volumeType)) {
    throw new BrokerError(
      'invalid-request',
      `volumeType: expected an EBS type (${EBS_TYPES.join(', ')}), got "${request.volumeType}"`,
      { field: 'volumeType', retryable: false },
    );
  }
  if (
    request.fromSnapshotId !== undefined &&
    !/^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(request.fromSnapshotId)
  ) {
    throw new BrokerError('invalid-request', 'fromSnapshotId: expected an EBS snapshot id (snap-…)', {
      field: 'fromSnapshotId',
      retryable: false,
    });
  }
}

/**
 * `CreateVolume` with the key's ClientToken (EC2 returns the first volume for a
 * repeat, from any process, so replicas racing with one key get one volume) and
 * the tags in `TagSpecifications`, then a wait until `available`. The token's
 * tag is looked up first, as createServer does, for repeats after EC2's token
 * window and for key reuse with another request (`conflict`).
 */
export async function createEbsVolume(
  ops: Ec2Ops,
  request: CreateVolumeRequest,
  call: ResolvedCallOptions,
): Promise<Volume> {
  checkInput(request);
  const key = call.idempotencyKey;
  const token = key === undefined ? undefined : clientTokenFor(key);
  const earlier = token === undefined ? undefined : await byToken(ops, token, call.signal);
  if (earlier !== undefined && key !== undefined)
    checkSameVolumeCreate(key, earlier.Tags?.find((t) => t.Key === REQUEST_DIGEST_KEY)?.Value, request);
  const made =
    earlier ??
    (await ec2Call('CreateVolume', call.signal, (o) =>
      ops.client.send(new CreateVolumeCommand(createInput(request, key, token)), o),
    ));
  const id = made.VolumeId ?? '';
  if (call.wait === false) return toVolume(made, ops.region);
  const done = await waitOn(ops, call, ops.reads.volumeWait(id, 'createVolume'), {
    description: `volume ${id} to be available`,
    check: (v) =>
      v.State === 'available'
        ? verdict.done
        : v.State === 'error'
          ? verdict.failed(`volume ${id} went to error`)
          : verdict.pending,
    stateOf: (v) => v.State ?? 'unknown',
  });
  return toVolume(done, ops.region);
}

function createInput(request: CreateVolumeRequest, key: string | undefined, token: string | undefined) {
  const tags = [
    { Key: 'Name', Value: request.name },
    ...Object.entries(request.metadata ?? {}).map(([Key, Value]) => ({ Key, Value })),
    ...(key === undefined || token === undefined
      ? []
      : [
          { Key: IDEMPOTENCY_TAG, Value: token },
          { Key: REQUEST_DIGEST_KEY, Value: createVolumeDigest(request) },
        ]),
  ];
  return {
    AvailabilityZone: request.availabilityZone,
    Size: request.sizeGiB,
    ...(request.volumeType === undefined ? {} : { VolumeType: request.volumeType as VolumeType }),
    ...(request.fromSnapshotId === undefined ? {} : { SnapshotId: request.fromSnapshotId }),
    ...(token === undefined ? {} : { ClientToken: token }),
    TagSpecifications: [{ ResourceType: 'volume' as const, Tags: tags }],
  };
}

/** The live volume tagged with the token (the oldest when several), if any. */
async function byToken(
  ops: Ec2Ops,
  token: string,
  signal: AbortSignal | undefined,
): Promise<Ec2Volume | undefined> {
  const out = await ec2Call(`DescribeVolumes tag:${IDEMPOTENCY_TAG}`, signal, (o) =>
    ops.client.send(
      new DescribeVolumesCommand({ Filters: [{ Name: `tag:${IDEMPOTENCY_TAG}`, Values: [token] }] }),
      o,
    ),
  );
  const live = (out.Volumes ?? []).filter((v) => v.State !== 'deleting' && v.State !== 'deleted');
  live.sort((a, b) => (a.CreateTime?.getTime() ?? 0) - (b.CreateTime?.getTime() ?? 0));
  return live[0];
}

/**
 * `DeleteVolume`, then a wait until EC2 no longer knows it (or shows it
 * `deleted`). Gone already is `{ deleted: false }`; an attached volume is
 * refused before anything is sent (`invalid-state` naming the instance).
 */
export async function deleteEbsVolume(
  ops: Ec2Ops,
  request: VolumeRef,
  call: ResolvedCallOptions,
): Promise<DeleteVolumeResult> {
  const { volumeId } = request;
  checkEc2Id('volume', volumeId, 'volumeId');
  const current = await readOrGone(ops, volumeId, call.signal);
  if (current === undefined || current.State === 'deleted') return { volumeId, deleted: false };
  const holder = current.Attachments?.find((a) => a.State !== 'detached')?.InstanceId;
  if (holder !== undefined) {
    throw new BrokerError(
      'invalid-state',
      `volume ${volumeId} is attached to server ${holder}; detach it first`,
      {
        heldBy: holder,
        lastState: current.State,
      },
    );
  }
  try {
    await ec2Call(`DeleteVolume ${volumeId}`, call.signal, (o) =>
      ops.client.send(new DeleteVolumeCommand({ VolumeId: volumeId }), o),
    );
  } catch (error) {
    if (isBrokerError(error, 'not-found')) return { volumeId, deleted: false };
    throw error;
  }
  if (call.wait === false) return { volumeId, deleted: true };
  // a plain read per poll: the shared polls read a missing volume as an error, here it is the end
  const gone = {
    probe: (s: AbortSignal | undefined) => readOrGone(ops, volumeId, s),
    pacing: undefined,
    close() {},
  };
  await waitOn(ops, call, gone, {
    description: `volume ${volumeId} to be deleted`,
    check: (v) => (v === undefined || v.State === 'deleted' ? verdict.done : verdict.pending),
    stateOf: (v) => v?.State ?? 'gone',
  });
  return { volumeId, deleted: true };
}

async function readOrGone(ops: Ec2Ops, volumeId: string, signal: AbortSignal | undefined) {
  try {
    return await ops.reads.volume(volumeId, signal);
  } catch (error) {
    if (isBrokerError(error, 'not-found')) return undefined;
    throw error;
  }
}
