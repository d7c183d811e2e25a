import { describe, expect, it } from 'vitest';
import { checkResponseHead, type ResponseHead } from '../src/driver-kit.js';
import { isBrokerError } from '../src/index.js';

const rules = {
  what: 'GET /x',
  maxBytes: 1_000,
  expectedBody: "the API's JSON",
  redirectNote: 'the token stays',
};
const head = (status: number, headers: Record<string, string> = {}): ResponseHead => ({
  status,
  header: (name) => headers[name],
});

describe('checkResponseHead: the checks of every transport, before the body', () => {
  it('a 3xx names the Location host only, and is not retried as a success', () => {
    const error = checkResponseHead(
      head(302, { location: 'https://evil.example:8443/steal?token=x' }),
      rules,
    );
    expect(isBrokerError(error, 'provider-error')).toBe(true);
    expect(error?.message).toBe(
      'GET /x answered 302 redirecting to Location host evil.example:8443; redirects are not followed, so the token stays',
    );
    expect(error?.message).not.toContain('steal');
  });

  it('a relative Location is read against baseUrl; without one it is unreadable; none is said so', () => {
    const relative = head(301, { location: '/elsewhere' });
    expect(checkResponseHead(relative, { ...rules, baseUrl: 'http://nova:8774/v2.1' })?.message).toContain(
      'Location host nova:8774',
    );
    expect(checkResponseHead(relative, rules)?.message).toContain('an unreadable Location');
    expect(checkResponseHead(head(307), rules)?.message).toContain('no Location');
  });

  it('a declared length over the cap is refused, not retried', () => {
    const error = checkResponseHead(head(200, { 'content-length': '1001' }), rules);
    expect(error).toMatchObject({ code: 'provider-error', retryable: false });
    expect(checkResponseHead(head(200, { 'content-length': '1000' }), rules)).toBeUndefined();
  });

  it('a 2xx HTML page is unavailable (the API did not answer); an HTML error status is left to the error mapper', () => {
    const error = checkResponseHead(head(200, { 'content-type': 'text/html; charset=utf-8' }), rules);
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    expect(error?.message).toBe(
      "GET /x returned an HTML page (text/html; charset=utf-8) with 200, not the API's JSON",
    );
    expect(checkResponseHead(head(503, { 'content-type': 'text/html' }), rules)).toBeUndefined();
    expect(checkResponseHead(head(200, { 'content-type': 'application/json' }), rules)).toBeUndefined();
  });
});
