/**
 * Nova's refusal of an attach whose volume another instance holds names that
 * instance (recorded from a real Zed Nova, 2.79: 400 badRequest "Invalid
 * volume: volume <id> is already attached to instances: <server id>"). Cinder
 * may not list the winner's attachment yet while it is only reserved, so the
 * message is where the holder is first known.
 */
const ATTACHED_TO =
  /already attached to instances?:\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** The server id a Nova "already attached to instances" refusal names, if it names one. */
export function holderNamedIn(message: string): string | undefined {
  return ATTACHED_TO.exec(message)?.[1];
}

/** Nova ids compare without regard to case. */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
