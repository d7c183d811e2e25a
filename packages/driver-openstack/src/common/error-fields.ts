/**
 * Nova and Cinder name the offending parameter only in their 400 message
 * ("The requested availability zone is not available", "The supplied device
 * path (/dev/vdb) is in use."). These patterns turn it back into the
 * caller's request field, so an `invalid-request` says which field to fix.
 */
const FIELD_BY_MESSAGE: readonly (readonly [RegExp, string])[] = [
  [/availability[ _]?zone/i, 'availabilityZone'],
  [/device path|device name|\bdevice\b.*\bin use\b/i, 'device'],
  [/\bflavor\b/i, 'flavor'],
  [/\bimage\b/i, 'image'],
  [/user[ _]?data/i, 'userData'],
  [/key[ _]?pair|key_name/i, 'keyName'],
  [/security[ _]?group/i, 'securityGroups'],
];

/** The request field a Nova or Cinder refusal's message points at, if any. */
export function fieldOfRefusal(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  return FIELD_BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1];
}
