import { createHash } from 'node:crypto';

/**
 * The EC2 `ClientToken` for an idempotency key: EC2 returns the first
 * instance for a repeated RunInstances with the same token (for about 8 hours),
 * so a retried create never makes a second server. A hash keeps the token
 * within EC2's 64 ASCII characters and does not echo the caller's key.
 */
export function clientTokenFor(idempotencyKey: string): string {
  return `hb-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 48)}`;
}

/**
 * The instance tag that carries the ClientToken, so a repeated create finds
 * its instance where the ClientToken alone does not protect: after EC2's
 * token window, with different parameters (EC2 answers
 * IdempotentParameterMismatch), or on an EC2 emulation that ignores tokens (moto).
 */
export const IDEMPOTENCY_TAG = 'hybrid-broker-idempotency-token';
