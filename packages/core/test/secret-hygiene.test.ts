import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { refuseUserInfo, safeCause, scrub, syntaxErrorSummary, urlCredentials } from '../src/driver-kit.js';
import { BrokerError } from '../src/index.js';

const SECRET = 'canary-hygiene-9f7e5d3c1b';

describe('secret hygiene helpers', () => {
  it('safeCause keeps name, message, code and stack of each link, never a request or its headers', () => {
    // The shapes the SDKs throw: AWS keeps $response/$metadata, Azure's RestError its request.
    const aws = Object.assign(new Error('The security token included in the request is invalid'), {
      name: 'UnrecognizedClientException',
      code: 'UnrecognizedClientException',
      $response: { headers: { 'x-amz-security-token': SECRET, authorization: `AWS4 Credential=${SECRET}` } },
    });
    const azure = Object.assign(new Error(`echoed ${SECRET}`, { cause: aws }), {
      name: 'RestError',
      statusCode: 401,
      request: { headers: { authorization: `Bearer ${SECRET}` } },
    });
    const safe = safeCause(new BrokerError('auth-failed', 'refused', { cause: azure }), [SECRET]);
    const text = inspect(safe, { showHidden: true, depth: Number.POSITIVE_INFINITY });
    expect(text).not.toContain(SECRET);
    expect(text).toContain('UnrecognizedClientException');
    const link = (safe as Error).cause as Error & { statusCode?: number };
    expect(link).toMatchObject({ name: 'RestError', message: 'echoed [redacted]', statusCode: 401 });
    expect(link).not.toHaveProperty('request');
    expect((link.cause as Error & { code?: string }).code).toBe('UnrecognizedClientException');
  });

  it('scrub cuts a secret cut short by a "..." truncation too', () => {
    expect(scrub(`password was ${SECRET.slice(0, 12)}...`, [SECRET])).toBe('password was [redacted]...');
  });

  it('syntaxErrorSummary says where a YAML or JSON error is, never the text', async () => {
    const { parse } = await import('yaml');
    let yamlError: unknown;
    try {
      parse(`a:\n  password: ${SECRET}\n\t b: [`);
    } catch (e) {
      yamlError = e;
    }
    expect(String((yamlError as Error).message)).toContain(SECRET.slice(0, 10));
    expect(syntaxErrorSummary(yamlError)).toMatch(/^\w+ at line \d+, column \d+$/);
    let jsonError: unknown;
    try {
      JSON.parse(`{"password": "${SECRET}" oops}`);
    } catch (e) {
      jsonError = e;
    }
    expect(syntaxErrorSummary(jsonError)).not.toContain(SECRET.slice(0, 6));
  });

  it('refuseUserInfo refuses credentials in a URL without quoting it; urlCredentials finds them', () => {
    const schema = z.object({ url: refuseUserInfo(z.url()) });
    const bad = schema.safeParse({ url: `https://demo:${SECRET}@keystone.example/v3` });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).not.toContain(SECRET);
    expect(bad.error?.issues[0]?.path).toEqual(['url']);
    expect(schema.safeParse({ url: 'https://keystone.example/v3' }).success).toBe(true);
    expect(urlCredentials({ a: [`http://demo:${SECRET}@h/`] })).toContain(SECRET);
  });
});
