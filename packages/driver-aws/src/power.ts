import {
  type EC2Client,
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { isBrokerError, type PowerOperation, type Server } from '@hybrid-broker/core';
import { type ResolvedCallOptions, runPower, verdict } from '@hybrid-broker/core/driver-kit';
import { ec2Call } from './ec2-calls.js';
import { toServer } from './ec2-mappers.js';
import { type Ec2Ops, waitOn } from './ec2-ops.js';

function send(client: EC2Client, operation: PowerOperation, id: string, signal: AbortSignal | undefined) {
  const input = { InstanceIds: [id] };
  if (operation === 'startServer')
    return ec2Call(`StartInstances ${id}`, signal, (o) => client.send(new StartInstancesCommand(input), o));
  if (operation === 'stopServer')
    return ec2Call(`StopInstances ${id}`, signal, (o) => client.send(new StopInstancesCommand(input), o));
  return ec2Call(`RebootInstances ${id}`, signal, (o) => client.send(new RebootInstancesCommand(input), o));
}

/**
 * A power call on EC2 (StartInstances, StopInstances, RebootInstances) through core's engine.
 * EC2 answers IncorrectInstanceState (`invalid-state`) to a start or stop of an instance in
 * another transition: the engine waits it out. A reboot has no state of its own on EC2: the
 * instance reads `running` throughout, so the wait after it is a read confirming that.
 */
export function powerOnEc2(
  ops: Ec2Ops,
  operation: PowerOperation,
  serverId: string,
  call: ResolvedCallOptions,
): Promise<Server> {
  const read = async (): Promise<Server> =>
    toServer(await ops.liveInstance(serverId, call.signal), ops.region);
  return runPower(
    operation,
    {
      read,
      send: async () => {
        await send(ops.client, operation, serverId, call.signal);
      },
      isBusy: (error) => isBrokerError(error, 'invalid-state'),
      wait: async (description, check) => {
        const reads = ops.reads.instanceWait(serverId, operation);
        // Read as servers, so a timeout's lastState is the server, as on every cloud.
        const probe = async (signal: AbortSignal | undefined) => {
          const instance = await reads.probe(signal);
          return instance && toServer(instance, ops.region);
        };
        const done = await waitOn(
          ops,
          call,
          { ...reads, probe },
          {
            description,
            // Not visible yet (EC2's eventual consistency) is pending, not gone.
            check: (s) => (s === undefined ? verdict.pending : check(s)),
            stateOf: (s) => s?.providerStatus ?? 'not visible yet',
          },
        );
        return done ?? read();
      },
    },
    call,
  );
}
