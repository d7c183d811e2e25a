import { BrokerError, isBrokerError, type Server } from '@hybrid-broker/core';

// Nova's scheduler faults for a group it cannot place: NoValidHost ("No valid host was found.
// <reason>"), and, where the scheduler runs without the group filters, "ServerGroup policy is
// not supported: ServerGroupAntiAffinityFilter not configured" (seen on a real Zed stack whose
// enabled_filters left them out).
const NO_PLACEMENT = /no valid host|servergroup policy is not supported/i;

/** True when `error` is a create's wait ending on a server in ERROR because Nova could not place it. */
export function isNoValidHost(error: unknown): error is BrokerError {
  if (!isBrokerError(error, 'provider-error')) return false;
  const last = error.lastState as Partial<Server> | undefined;
  return last?.status === 'error' && NO_PLACEMENT.test(last.fault ?? '');
}

/**
 * A member of an anti-affinity group Nova could not place: its server is in
 * ERROR and holds nothing, so it is deleted (a repeat with the same key then
 * finds nothing and asks Nova again, instead of returning a dead server), and
 * the create fails with `placement-failed`.
 */
export async function placementFailed(
  error: BrokerError,
  group: string,
  deleteServer: (id: string) => Promise<void>,
): Promise<never> {
  const last = error.lastState as Server;
  let cleanup: unknown;
  await deleteServer(last.providerId).catch((e: unknown) => {
    cleanup = e;
  });
  throw new BrokerError(
    'placement-failed',
    `no host can take server ${last.id} apart from the other members of anti-affinity group "${group}": ${last.fault}` +
      (cleanup === undefined ? '' : ' (its ERROR server could not be deleted; a repeat deletes it)'),
    { cause: error, providerCode: 'NoValidHost', lastState: last },
  );
}
