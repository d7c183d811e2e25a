/**
 * ARM names the offending parameter in its `InvalidParameter` message (and
 * `target`), in its own words: "The requested zone(s) '9' is not supported",
 * "A disk at LUN 0 already exists", "The requested size for resource ... is
 * currently not available". These turn it back into the caller's field.
 */
const FIELD_BY_MESSAGE: readonly (readonly [RegExp, string])[] = [
  [/\bzones?\b|availability ?zone/i, 'availabilityZone'],
  [/\bLUN\b/, 'device'],
  [/vm ?size|requested size|hardwareProfile/i, 'flavor'],
  [/custom ?data/i, 'userData'],
  [/imageReference|\bimage\b/i, 'image'],
];

/** The request field an ARM refusal's message points at, if any. */
export function fieldOfArmRefusal(message: string): string | undefined {
  return FIELD_BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1];
}
