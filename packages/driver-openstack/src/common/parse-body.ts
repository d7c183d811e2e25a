import { BrokerError } from '@hybrid-broker/core';
import type { z } from 'zod';

/** Parses a response body, or fails with a provider-error naming what was expected (never echoing the body). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new BrokerError(
    'provider-error',
    `unexpected ${what} body: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unreadable'}`,
  );
}
