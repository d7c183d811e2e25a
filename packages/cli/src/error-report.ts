import { inspect } from 'node:util';
import { findBrokerError } from '@hybrid-broker/core';
import { exitCodeFor } from './exit-codes.js';

/** How a failure is printed. */
export interface ErrorReportOptions {
  /** Add the platform, operation, provider code, request id and the cause chain. */
  readonly verbose: boolean;
  /** Print one JSON object instead of text. */
  readonly json: boolean;
  /** Cuts secrets out of the text (applied to every line). */
  readonly clean: (text: string) => string;
}

const MAX_CAUSES = 8;

// A timeout ends the wait, not the change: say so, as the Ctrl-C message does.
const TIMEOUT_NOTE =
  '; the change may still happen (the cloud may finish a request it accepted), and repeating the command waits for it';

/**
 * The text written to stderr for a failed command: one line
 * `error [code]: message`, and with `verbose` the error's facts and its
 * cause chain, one line each. Never a stack trace for a BrokerError: the
 * code and message say what happened; a stack is only shown, with
 * `verbose`, for an unexpected error (a bug to report).
 */
export function formatError(error: unknown, options: ErrorReportOptions): string {
  const broker = findBrokerError(error);
  const code = broker?.code ?? 'internal';
  const message = oneLine(broker?.message ?? (error instanceof Error ? error.message : String(error)));
  if (options.json) {
    const body = broker ? broker.toJSON() : { code, message };
    return `${options.clean(JSON.stringify({ error: { ...body, exitCode: exitCodeFor(error) } }))}\n`;
  }
  const lines = [`error [${code}]: ${message}${code === 'timeout' ? TIMEOUT_NOTE : ''}`];
  if (options.verbose) {
    if (broker) {
      const facts = [
        ['platform', broker.platform],
        ['operation', broker.operation],
        ['field', broker.field],
        ['held by', broker.heldBy],
        ['rolled back', broker.rolledBack === undefined ? undefined : broker.rolledBack ? 'yes' : 'no'],
        ['provider code', broker.providerCode],
        ['request id', broker.requestId],
        ['HTTP status', broker.statusCode?.toString()],
        ['retry after', broker.retryAfterMs === undefined ? undefined : `${broker.retryAfterMs} ms`],
        ['retryable', broker.retryable ? 'yes' : 'no'],
      ].filter((fact): fact is [string, string] => fact[1] !== undefined);
      lines.push(`  ${facts.map(([k, v]) => `${k}: ${v}`).join(', ')}`);
    } else if (error instanceof Error && error.stack) {
      lines.push(...error.stack.split('\n').slice(1));
    }
    let cause = (broker ?? (error as { cause?: unknown } | null))?.cause;
    for (let depth = 0; depth < MAX_CAUSES && cause !== undefined && cause !== null; depth++) {
      lines.push(`  caused by: ${describe(cause)}`);
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  return `${lines.map(options.clean).join('\n')}\n`;
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) {
    return oneLine(typeof cause === 'string' ? cause : inspect(cause, { depth: 2, breakLength: Infinity }));
  }
  const code = (cause as { code?: unknown }).code;
  const suffix = typeof code === 'string' && !cause.message.includes(code) ? ` (${code})` : '';
  return `${cause.name}: ${oneLine(cause.message)}${suffix}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
