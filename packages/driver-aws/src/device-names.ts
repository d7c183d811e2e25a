import { BrokerError } from '@hybrid-broker/core';

/** The names AWS recommends for EBS data volumes on Linux instances: /dev/sdf to /dev/sdp. */
export const EBS_DEVICE_NAMES: readonly string[] = 'fghijklmnop'.split('').map((c) => `/dev/sd${c}`);

/**
 * The letter a device name takes on the instance. `/dev/sdf`, `/dev/xvdf`,
 * `sdf` and `xvdf` all name one slot (Xen guests rename sd* to xvd*), so a
 * mapping under either spelling makes the slot busy.
 */
function slotOf(device: string): string | undefined {
  return /^(?:\/dev\/)?(?:sd|xvd)([a-z])\d*$/.exec(device)?.[1];
}

/**
 * The first of /dev/sdf../dev/sdp whose slot no block-device mapping of the
 * instance uses (mappings include attaches still in progress). Fails with
 * `quota-exceeded` when all eleven are taken.
 */
export function pickDeviceName(serverId: string, usedDevices: readonly string[]): string {
  const used = new Set(usedDevices.map(slotOf).filter((s): s is string => s !== undefined));
  const free = EBS_DEVICE_NAMES.find((name) => !used.has(slotOf(name) ?? ''));
  if (free === undefined) {
    throw new BrokerError(
      'quota-exceeded',
      `server ${serverId} has no free device name among /dev/sdf../dev/sdp; pass a device explicitly`,
      { field: 'device' },
    );
  }
  return free;
}

/** True when the requested device is already used on the instance (in any spelling). */
export function deviceInUse(device: string, usedDevices: readonly string[]): boolean {
  const slot = slotOf(device);
  return usedDevices.some((d) => d === device || (slot !== undefined && slotOf(d) === slot));
}
