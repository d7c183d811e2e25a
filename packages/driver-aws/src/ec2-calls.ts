import {
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type Volume as Ec2Volume,
  type Instance,
} from '@aws-sdk/client-ec2';
import { BrokerError, isBrokerError } from '@hybrid-broker/core';
import { abortedError } from '@hybrid-broker/core/driver-kit';
import { withRetrySignal } from './deadline-retry-strategy.js';
import { fromEc2Error } from './ec2-errors.js';

/** The options the SDK's `send` takes that we use. */
export interface SendOptions {
  readonly abortSignal?: AbortSignal;
}

/**
 * Sends one EC2 request and maps its failure. `what` names the call and its
 * target for messages ("DescribeVolumes vol-1"). An abort, whether the SDK
 * noticed it or not, ends as an `aborted` BrokerError.
 */
export async function ec2Call<T>(
  what: string,
  signal: AbortSignal | undefined,
  send: (options: SendOptions) => Promise<T>,
): Promise<T> {
  if (signal?.aborted) throw abortedError(signal, what);
  try {
    // The retry strategy sleeps its backoffs under this signal and its deadline.
    const sent = withRetrySignal(signal, () => send(signal === undefined ? {} : { abortSignal: signal }));
    return await (signal ? endsOnAbort(sent, signal) : sent);
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal, what);
    throw fromEc2Error(error, what);
  }
}

// A request in flight ends with the signal too, whatever the SDK is doing at that moment.
function endsOnAbort<T>(sent: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    sent.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Reads one instance; `not-found` when EC2 does not know it (or the id is not an instance id). */
export async function describeInstance(
  client: EC2Client,
  instanceId: string,
  signal: AbortSignal | undefined,
): Promise<Instance> {
  const out = await ec2Call(`DescribeInstances ${instanceId}`, signal, (o) =>
    client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }), o),
  );
  const instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find(
    (i) => i.InstanceId === instanceId,
  );
  if (!instance) throw notFound('server', instanceId, 'InvalidInstanceID.NotFound');
  return instance;
}

/** Like {@link describeInstance}, but a missing instance is `undefined` (for waits across EC2's eventual consistency). */
export async function describeInstanceIfAny(
  client: EC2Client,
  instanceId: string,
  signal: AbortSignal | undefined,
): Promise<Instance | undefined> {
  try {
    return await describeInstance(client, instanceId, signal);
  } catch (error) {
    if (isBrokerError(error, 'not-found')) return undefined;
    throw error;
  }
}

/** Reads one volume; `not-found` when EC2 does not know it. */
export async function describeVolume(
  client: EC2Client,
  volumeId: string,
  signal: AbortSignal | undefined,
): Promise<Ec2Volume> {
  const out = await ec2Call(`DescribeVolumes ${volumeId}`, signal, (o) =>
    client.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }), o),
  );
  const volume = out.Volumes?.find((v) => v.VolumeId === volumeId);
  if (!volume) throw notFound('volume', volumeId, 'InvalidVolume.NotFound');
  return volume;
}

/** The not-found error of a resource EC2 answered for without listing it. */
export function notFound(kind: 'server' | 'volume', id: string, providerCode: string): BrokerError {
  return new BrokerError('not-found', `${kind} ${id} not found`, {
    providerCode,
    field: kind === 'server' ? 'serverId' : 'volumeId',
  });
}

/** States of an instance that a repeated create may return (a terminated one is gone). */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/** The live instance tagged with this idempotency tag value, if any (the oldest when several). */
export async function findInstanceByTag(
  client: EC2Client,
  tag: { key: string; value: string },
  signal: AbortSignal | undefined,
): Promise<Instance | undefined> {
  const out = await ec2Call(`DescribeInstances tag:${tag.key}`, signal, (o) =>
    client.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: `tag:${tag.key}`, Values: [tag.value] },
          { Name: 'instance-state-name', Values: LIVE_STATES },
        ],
      }),
      o,
    ),
  );
  const found = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  found.sort((a, b) => (a.LaunchTime?.getTime() ?? 0) - (b.LaunchTime?.getTime() ?? 0));
  return found[0];
}
