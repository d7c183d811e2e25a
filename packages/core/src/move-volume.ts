import { attachedTo, volumeSettled } from './attach-rules.js';
import { resolveWait } from './call-options.js';
import { type CallOptions, type PlatformDriver, resolveCapabilities, type WaitOptions } from './driver.js';
import { BrokerError, toBrokerError } from './errors.js';
import type { MoveVolumeRequest, MoveVolumeResult, Server, Volume, VolumeAttachment } from './types.js';
import { waitFor } from './waiter.js';

/*
 * SG-Service moves a volume from its shared "public client" to the real
 * gateway agent by hand (`_do_agent_attach_volume`, and
 * `_rollback_agent_attach_volume` when the second step fails). This is that
 * move once, over any PlatformDriver, deciding every step from a fresh read
 * of the volume so that a repeat after a crash or an abort converges.
 */

/**
 * Detaches `volumeId` from `fromServerId` (waiting until it is free), then
 * attaches it to `toServerId` (waiting as `options.wait` says). When that
 * attach fails the volume is attached to `fromServerId` again and the
 * attach's error is thrown with `rolledBack: true`; when the rollback fails
 * too, the error's `cause` is the attach's and `rollbackError` the
 * rollback's. Zones are checked before anything is detached.
 *
 * A volume still in an attach or detach another call began (to or from
 * either server) is waited for first, then moved as it then stands.
 *
 * Repeating a move converges: a volume already on the target is returned
 * (`alreadyAttached: true`), one on neither server is attached to the
 * target, one still on the source is moved.
 *
 * @example
 * const { attachment } = await broker.platform('os').moveVolume({ volumeId, fromServerId: publicClient, toServerId: agent });
 */
export async function moveVolume(
  driver: PlatformDriver,
  request: MoveVolumeRequest,
  options: CallOptions = {},
): Promise<MoveVolumeResult> {
  const { volumeId, fromServerId, toServerId } = request;
  const signal = options.signal;
  const [read, from, to] = await Promise.all([
    driver.getVolume({ volumeId }, { signal }),
    driver.getServer({ serverId: fromServerId }, { signal }),
    driver.getServer({ serverId: toServerId }, { signal }),
  ]);
  checkZones(driver, read, from, to);
  // Detaching waits in any case: the attach cannot begin before the volume is free.
  const detachWait = options.wait === false ? undefined : options.wait;
  const volume = await settled(driver, read, detachWait, signal);
  const holder = volume.attachments.find((a) => a.serverId !== fromServerId && a.serverId !== toServerId);
  if (holder && !volume.multiAttach) {
    throw new BrokerError(
      'conflict',
      `volume ${volumeId} is attached to server ${holder.serverId}, neither ${fromServerId} nor ${toServerId}`,
      { field: 'volumeId', statusCode: 409 },
    );
  }
  const onSource = volume.attachments.some((a) => a.serverId === fromServerId);
  const detached = onSource
    ? (await driver.detachVolume({ serverId: fromServerId, volumeId }, { signal, wait: detachWait })).detached
    : false;
  const onTarget = volume.attachments.find((a) => a.serverId === toServerId);
  if (onTarget) {
    const attachment = await settledOn(driver, onTarget, options);
    return { attachment: { ...attachment, alreadyAttached: true }, detached, attached: false };
  }
  const attachTarget = () =>
    driver.attachVolume(
      { serverId: toServerId, volumeId, ...(request.device === undefined ? {} : { device: request.device }) },
      options,
    );
  try {
    const attachment = await attachTarget();
    return { attachment, detached, attached: true };
  } catch (error) {
    let failure = toBrokerError(error, `attaching to ${toServerId} failed`);
    if (!onSource && failure.code === 'conflict' && sameServer(failure.heldBy, fromServerId)) {
      // The source held it after all: its attach landed where our read did not show it yet
      // (Azure's disk view lags the VM's). Detach it there, then attach once more.
      try {
        const { detached: again } = await driver.detachVolume(
          { serverId: fromServerId, volumeId },
          { signal, wait: detachWait },
        );
        return { attachment: await attachTarget(), detached: again, attached: true };
      } catch (second) {
        failure = toBrokerError(second, `moving from ${fromServerId} failed`);
      }
    }
    // A conflict may be an earlier, interrupted move's attach showing up after our read.
    const landed =
      failure.code === 'conflict' ? await attachmentOn(driver, volumeId, toServerId, options) : undefined;
    if (landed) {
      const attachment = await settledOn(driver, landed, options);
      return { attachment: { ...attachment, alreadyAttached: true }, detached, attached: false };
    }
    throw await rollBack(driver, request, failure, options);
  }
}

/** True when `holder` names `serverId` (ARM ids compare case-insensitively; the others are lower case). */
function sameServer(holder: string | undefined, serverId: string): boolean {
  return holder !== undefined && holder.toLowerCase() === serverId.toLowerCase();
}

/** The volume's attachment to `serverId` in a fresh read, if any. */
async function attachmentOn(
  driver: PlatformDriver,
  volumeId: string,
  serverId: string,
  options: CallOptions,
): Promise<VolumeAttachment | undefined> {
  const volume = await driver.getVolume({ volumeId }, { signal: options.signal });
  return volume.attachments.find((a) => a.serverId === serverId);
}

/** Refuses a move that could not end attached: the volume and both servers must share a zone. */
function checkZones(driver: PlatformDriver, volume: Volume, from: Server, to: Server): void {
  if (!resolveCapabilities(driver.capabilities).availabilityZones) return;
  const zone = volume.availabilityZone;
  for (const [role, server] of [
    ['toServerId', to],
    ['fromServerId', from],
  ] as const) {
    if (zone !== undefined && server.availabilityZone !== undefined && server.availabilityZone !== zone) {
      throw new BrokerError(
        'invalid-request',
        `volume ${volume.id} is in availability zone ${zone} but server ${server.id} is in ${server.availabilityZone}; nothing was detached`,
        { field: role, statusCode: 400 },
      );
    }
  }
}

/**
 * The volume once out of any attach or detach another call began (a replica
 * that died mid-attach, an interrupted move): Cinder names no server while
 * `attaching`, so the attachments of a volume in transition cannot tell the
 * source from a stranger. A volume already settled, or in an error state
 * (the steps below refuse it), is returned as read.
 */
async function settled(
  driver: PlatformDriver,
  volume: Volume,
  wait: WaitOptions | undefined,
  signal: AbortSignal | undefined,
): Promise<Volume> {
  const now = volumeSettled(volume);
  const resolved = resolveWait(wait);
  if (now.done || now.failed !== undefined || resolved === false) return volume;
  return waitFor({
    description: `volume ${volume.id} to settle before the move`,
    probe: (s) => driver.getVolume({ volumeId: volume.id }, { signal: s }),
    check: volumeSettled,
    stateOf: (v) => v.providerStatus,
    options: resolved,
    signal,
    probeFirst: false,
  });
}

/** The target's attachment once attached: one still attaching (an earlier, interrupted move) is waited for. */
async function settledOn(
  driver: PlatformDriver,
  attachment: VolumeAttachment,
  options: CallOptions,
): Promise<VolumeAttachment> {
  const wait = resolveWait(options.wait);
  if (attachment.state === 'attached' || wait === false) return attachment;
  const volume = await waitFor({
    description: `volume ${attachment.volumeId} to be in-use on server ${attachment.serverId}`,
    probe: (signal) => driver.getVolume({ volumeId: attachment.volumeId }, { signal }),
    check: attachedTo(attachment.serverId),
    stateOf: (v) => v.providerStatus,
    options: wait,
    signal: options.signal,
  });
  return volume.attachments.find((a) => a.serverId === attachment.serverId) ?? attachment;
}

/**
 * After a failed attach to the target: re-attaches the source, unless the
 * caller aborted or the volume is not free (the attach may still take
 * effect; a repeat of the move settles it). Returns the error to throw.
 */
async function rollBack(
  driver: PlatformDriver,
  request: MoveVolumeRequest,
  failure: BrokerError,
  options: CallOptions,
): Promise<BrokerError> {
  if (failure.code === 'aborted' || options.signal?.aborted) return failure;
  const { volumeId, fromServerId, toServerId } = request;
  try {
    const now = await driver.getVolume({ volumeId }, { signal: options.signal });
    if (now.attachments.length > 0) return failure;
    await driver.attachVolume({ serverId: fromServerId, volumeId }, { ...options, wait: options.wait });
  } catch (rollbackError) {
    const second = toBrokerError(rollbackError, `re-attaching to ${fromServerId} failed`);
    return new BrokerError(
      failure.code,
      `moving volume ${volumeId} to server ${toServerId} failed (${failure.message}), and re-attaching it to server ${fromServerId} failed too (${second.message})`,
      { ...failure.details(), cause: failure, rolledBack: false, rollbackError: second },
    );
  }
  return new BrokerError(failure.code, failure.message, {
    ...failure.details(),
    cause: failure.cause,
    rolledBack: true,
  });
}
