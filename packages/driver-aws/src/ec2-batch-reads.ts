import {
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type Volume as Ec2Volume,
  type Instance,
} from '@aws-sdk/client-ec2';
import { isBrokerError } from '@hybrid-broker/core';
import { ec2Call } from './ec2-calls.js';

/**
 * Most ids in one DescribeVolumes: the most volumes one page returns (the API
 * reference's MaxResults range, 5-500), so a call by ids never needs a second
 * page. aws-ebs-csi-driver's volume batcher sends the same 500.
 */
export const MAX_VOLUME_IDS = 500;
/** Most ids in one DescribeInstances: the most instances one page returns (MaxResults 5-1000). */
export const MAX_INSTANCE_IDS = 1000;
/**
 * Rounds of dropping the ids a NotFound names before the rest are left to
 * single reads: each round costs a request, and ids deleted in bulk would
 * otherwise cost one round each.
 */
const MAX_ROUNDS = 4;

/**
 * The volumes of `ids` that EC2 describes, by id, in one DescribeVolumes.
 * EC2 fails the whole call with `InvalidVolume.NotFound` when one id is
 * missing: the ids its message names are dropped and the rest asked again,
 * a few rounds at most. A dropped id is only absent from the map, never
 * decided gone: its waiter's single read decides (lists and batches lag).
 */
export function describeVolumesByIds(
  client: EC2Client,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<Map<string, Ec2Volume>> {
  return describeByIds(ids, 'InvalidVolume.NotFound', async (chunk) => {
    const out = await ec2Call(`DescribeVolumes of ${chunk.length} volumes`, signal, (o) =>
      client.send(new DescribeVolumesCommand({ VolumeIds: [...chunk] }), o),
    );
    return (out.Volumes ?? []).flatMap((v) => (v.VolumeId ? [[v.VolumeId, v] as const] : []));
  });
}

/** The instances of `ids` by id, in one DescribeInstances; missing ids handled as {@link describeVolumesByIds} does. */
export function describeInstancesByIds(
  client: EC2Client,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<Map<string, Instance>> {
  return describeByIds(ids, 'InvalidInstanceID.NotFound', async (chunk) => {
    const out = await ec2Call(`DescribeInstances of ${chunk.length} instances`, signal, (o) =>
      client.send(new DescribeInstancesCommand({ InstanceIds: [...chunk] }), o),
    );
    const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    return instances.flatMap((i) => (i.InstanceId ? [[i.InstanceId, i] as const] : []));
  });
}

async function describeByIds<V>(
  ids: readonly string[],
  notFoundCode: string,
  describe: (ids: readonly string[]) => Promise<(readonly [string, V])[]>,
): Promise<Map<string, V>> {
  let asked = [...new Set(ids)];
  for (let round = 1; asked.length > 0 && round <= MAX_ROUNDS; round++) {
    try {
      const wanted = new Set(asked);
      return new Map((await describe(asked)).filter(([id]) => wanted.has(id)));
    } catch (error) {
      if (!isBrokerError(error) || error.providerCode !== notFoundCode) throw error;
      const named = new Set(idsNamedIn(error.message));
      const rest = asked.filter((id) => !named.has(id));
      // A message that names none of ours says nothing: leave every id to its single read.
      if (rest.length === asked.length) return new Map();
      asked = rest;
    }
  }
  return new Map();
}

/** The EC2 ids a NotFound message names: "The volume 'vol-1' does not exist.", "The instance IDs 'i-1, i-2' do not exist". */
export function idsNamedIn(message: string): string[] {
  return message.match(/\b(?:vol|i)-[0-9a-f]{8,17}\b/g) ?? [];
}
