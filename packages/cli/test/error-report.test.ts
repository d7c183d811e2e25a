import { BROKER_ERROR_CODES, BrokerError } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, exitCodeFor, exitCodesHelp, formatError, UNEXPECTED_EXIT_CODE } from '../src/index.js';

const plain = { verbose: false, json: false, clean: (t: string) => t };

describe('error report', () => {
  const error = new BrokerError('throttled', 'too many requests\nslow down', {
    cause: new Error('HTTP 429', {
      cause: Object.assign(new Error('socket said no'), { code: 'ECONNRESET' }),
    }),
    providerCode: 'OverLimit',
    requestId: 'req-9',
    statusCode: 429,
    retryAfterMs: 1500,
    platform: 'lab',
    operation: 'attachVolume',
  });

  it('is one line `error [code]: message`, even for a multi-line message', () => {
    expect(formatError(error, plain)).toBe('error [throttled]: too many requests slow down\n');
  });

  it('adds the facts and the cause chain with --verbose, one line each, no stack', () => {
    expect(formatError(error, { ...plain, verbose: true }).split('\n')).toEqual([
      'error [throttled]: too many requests slow down',
      '  platform: lab, operation: attachVolume, provider code: OverLimit, request id: req-9, HTTP status: 429, retry after: 1500 ms, retryable: yes',
      '  caused by: Error: HTTP 429',
      '  caused by: Error: socket said no (ECONNRESET)',
      '',
    ]);
  });

  it('is one JSON object with the exit code in --json mode', () => {
    const parsed = JSON.parse(formatError(error, { ...plain, json: true })) as {
      error: Record<string, unknown>;
    };
    expect(parsed.error).toMatchObject({ code: 'throttled', requestId: 'req-9', exitCode: 7 });
  });

  it('passes every line through the cleaner', () => {
    const text = formatError(error, {
      verbose: true,
      json: false,
      clean: (t) => t.replaceAll('socket', '[x]'),
    });
    expect(text).toContain('caused by: Error: [x] said no');
    expect(text).not.toContain('socket');
  });

  it('says of a timeout that the change may still happen, and --json carries its last state', () => {
    const timeout = new BrokerError('timeout', 'timed out after 50 ms waiting for volume v-1 to be in-use', {
      lastState: { id: 'v-1', status: 'attaching' },
    });
    expect(formatError(timeout, plain)).toMatch(/^error \[timeout\]: .*the change may still happen/);
    const parsed = JSON.parse(formatError(timeout, { ...plain, json: true })) as {
      error: Record<string, unknown>;
    };
    expect(parsed.error).toMatchObject({ code: 'timeout', lastState: { id: 'v-1', status: 'attaching' } });
  });

  it('calls a non-BrokerError internal, exit 1', () => {
    expect(formatError(new TypeError('x is undefined'), plain)).toBe('error [internal]: x is undefined\n');
    expect(exitCodeFor(new TypeError('x'))).toBe(UNEXPECTED_EXIT_CODE);
  });
});

describe('exit codes', () => {
  it('has a code for every BrokerError code, and finds a BrokerError in a cause chain', () => {
    expect(Object.keys(EXIT_CODES).sort()).toEqual([...BROKER_ERROR_CODES].sort());
    const wrapped = new Error('outer', { cause: new BrokerError('not-found', 'gone') });
    expect(exitCodeFor(wrapped)).toBe(3);
    expect(exitCodeFor(new BrokerError('aborted', 'stop'))).toBe(130);
  });

  it('documents every code in the help epilog', () => {
    const help = exitCodesHelp();
    for (const code of BROKER_ERROR_CODES) expect(help).toContain(code);
  });
});
