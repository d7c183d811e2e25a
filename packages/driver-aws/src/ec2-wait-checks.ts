import type { Volume as Ec2Volume, Instance } from '@aws-sdk/client-ec2';
import { isErrorStatus, verdict, type WaitVerdict } from '@hybrid-broker/core/driver-kit';

/**
 * A launch is done when the instance runs. Not seeing it yet is pending (EC2
 * is eventually consistent right after RunInstances); `shutting-down` or
 * `terminated` means the launch failed, and EC2's state reason says why.
 */
export function launchCheck(instance: Instance | undefined): WaitVerdict {
  const state = instance?.State?.Name;
  if (state === 'running') return verdict.done;
  if (state === 'shutting-down' || state === 'terminated') {
    return verdict.failed(
      instance?.StateReason?.Message ?? instance?.StateTransitionReason ?? `instance ${state}`,
    );
  }
  return verdict.pending;
}

/** A termination is done when the instance is `terminated` or no longer listed. */
export function terminateCheck(instance: Instance | undefined): WaitVerdict {
  const state = instance?.State?.Name;
  return state === undefined || state === 'terminated' ? verdict.done : verdict.pending;
}

/**
 * An attach is done when the volume is `in-use` with this instance's
 * attachment `attached`. A volume in an error state fails at once; a volume
 * back to `available` after its attachment was seen means EC2 gave up.
 */
export function attachCheck(instanceId: string): (volume: Ec2Volume) => WaitVerdict {
  let seen = false;
  return (volume) => {
    const state = volume.State ?? 'unknown';
    if (isErrorStatus(state)) return verdict.failed(`volume ${volume.VolumeId} went to ${state}`);
    const attachment = volume.Attachments?.find((a) => a.InstanceId === instanceId);
    if (attachment !== undefined) seen = true;
    if (state === 'in-use' && attachment?.State === 'attached') return verdict.done;
    // A detach that raced this attach (see core's attachedTo) can only begin once the attach held.
    if (attachment?.State === 'detaching' || attachment?.State === 'busy') return verdict.done;
    if (seen && attachment === undefined && state === 'available') {
      return verdict.failed(`the attach of volume ${volume.VolumeId} did not hold; it is available again`);
    }
    return verdict.pending;
  };
}

/**
 * A detach is done when this instance's attachment is gone (or `detached`)
 * and the volume is `available`, or still `in-use` by other instances of a
 * multi-attach volume. `busy` and `detaching` are pending; an error state fails.
 */
export function detachCheck(instanceId: string): (volume: Ec2Volume) => WaitVerdict {
  return (volume) => {
    const state = volume.State ?? 'unknown';
    if (isErrorStatus(state)) return verdict.failed(`volume ${volume.VolumeId} went to ${state}`);
    const mine = volume.Attachments?.find((a) => a.InstanceId === instanceId && a.State !== 'detached');
    if (mine !== undefined) return verdict.pending;
    const others = volume.Attachments?.some((a) => a.State !== 'detached') ?? false;
    return state === 'available' || (others && state === 'in-use') ? verdict.done : verdict.pending;
  };
}
