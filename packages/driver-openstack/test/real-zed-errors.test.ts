/**
 * The error mapping of faults recorded from a real Nova 26 / Cinder 21
 * (fixtures/real-zed/README.md): codes, the request id, and Cinder's refusal
 * that Nova nests inside its own 400.
 */
import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../src/common/openstack-errors.js';
import { recorded } from './support/real-zed.js';

function mapped(name: string, service = 'nova') {
  const r = recorded(name);
  return errorFromResponse({
    service,
    method: r.request.method,
    url: `http://127.0.0.1${r.request.path}`,
    status: r.response.status,
    headers: new Headers(r.response.headers),
    bodyText: JSON.stringify(r.response.body),
    now: Date.now(),
  });
}

describe('recorded real faults', () => {
  it("an attach of an error volume surfaces Cinder's nested message, status and request id", () => {
    const error = mapped('35-nova-attach-error-volume');
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(
      /Volume attachments can not be created if the volume is in an error state\. The Volume [0-9a-f-]{36} currently has a status of: error \(from cinder: 400, cinder request req-aa6bed0a-5e94-4268-9e86-1ee9f04ae4ee\)/,
    );
    expect(error.message).not.toMatch(/Invalid input received/);
    // Nova's own request id stays the error's request id.
    expect(error.requestId).toBe('req-4e2dfa58-5fb3-4429-8024-8f60b8633bbe');
  });

  it('a cross-zone attach refused by Nova (cross_az_attach = false) is invalid-request naming the zones', () => {
    const error = mapped('32-nova-attach-cross-az');
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(
      /not in the same availability_zone\. Instance is in nova\. Volume is in az2/,
    );
  });

  it('the same attach with cross_az_attach = true was a 200 with a volumeAttachment', () => {
    const r = recorded('32-nova-attach-cross-az-allowed');
    expect(r.response.status).toBe(200);
    expect(r.response.body).toMatchObject({ volumeAttachment: { device: '/dev/sdb' } });
  });

  it.each([
    ['30-nova-attach-nonexistent-volume', 'not-found'],
    ['37-nova-attach-in-use-volume-twice', 'invalid-request'],
    ['63-nova-server-create-mv279-no-networks-key', 'invalid-request'],
    ['64-nova-server-create-networks-auto', 'provider-error'],
    ['65-nova-server-create-bad-az', 'invalid-request'],
    ['66-nova-server-create-bad-flavor', 'invalid-request'],
    ['69-nova-server-show-missing', 'not-found'],
    ['71-nova-attachment-show-missing', 'not-found'],
  ])('%s maps to %s with its request id', (name, code) => {
    const error = mapped(name);
    expect(error.code).toBe(code);
    expect(error.requestId).toMatch(/^req-/);
  });

  it.each([
    ['38-cinder-delete-in-use-volume', 'invalid-request'],
    ['70-cinder-volume-show-missing', 'not-found'],
  ])('cinder %s maps to %s', (name, code) => {
    expect(mapped(name, 'cinder').code).toBe(code);
  });

  it('a bad token is auth-failed', () => {
    expect(mapped('72-keystone-bad-token').code).toBe('auth-failed');
  });
});
