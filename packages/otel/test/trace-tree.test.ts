/**
 * The span tree of an attach through every driver against cloud-sim, with the
 * OpenTelemetry SDK's in-memory exporter: the operation span is the parent of
 * one client span per HTTP request, carries the semantic-convention attributes
 * and the resource ids, and a failure ends its span in error with `error.type`
 * = the BrokerError code. The metrics count the same operations and requests.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { formatSpanTree } from '../src/index.js';
import { useTracedBroker } from './support/traced-broker.js';

const traced = useTracedBroker();

const PROVIDERS: Record<string, string | undefined> = {
  memory: undefined,
  openstack: 'openstack',
  cascade: 'openstack',
  aws: 'aws',
  azure: 'azure',
};
/** The call an attach makes, as each driver's request events name it. */
const ATTACH_CALL: Record<string, RegExp | undefined> = {
  memory: undefined,
  openstack: /^POST \/servers\/\{id\}\/os-volume_attachments$/,
  cascade: /^POST \/servers\/\{id\}\/os-volume_attachments$/,
  aws: /^AttachVolume$/,
  azure: /^VirtualMachines_(CreateOrUpdate|Update)$/,
};

const childrenOf = (parent: ReadableSpan, spans: readonly ReadableSpan[]) =>
  spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

describe('the span tree of an attach', () => {
  it.each(['memory', 'openstack', 'cascade', 'aws', 'azure'] as const)('%s', async (name) => {
    const platform = traced.clouds.platforms.find((p) => p.name === name);
    if (!platform) throw new Error(`no platform ${name}`);
    const cloud = traced.broker.platform(name);
    const volume = await cloud.getVolume({ volumeId: platform.volume() });
    const server = await cloud.createServer({ name: `otel-${name}`, ...platform.create });
    traced.otel.reset();
    traced.clouds.openstackHeaders.length = 0;

    await cloud.attachVolume({ serverId: server.id, volumeId: volume.id });
    const failed = await cloud.attachVolume({ serverId: server.id, volumeId: platform.missingVolume }).then(
      () => 'attached',
      (e: unknown) => (e as { code?: string }).code,
    );
    expect(failed).toBe('not-found');

    const spans = traced.otel.spans();
    const tree = formatSpanTree(spans);
    const attaches = spans.filter((s) => s.name === 'attachVolume');
    expect(attaches, tree).toHaveLength(2);
    const [ok, error] = attaches as [ReadableSpan, ReadableSpan];
    // Both operations are roots of their own traces.
    expect(ok.parentSpanContext).toBeUndefined();
    expect(ok.spanContext().traceId).not.toBe(error.spanContext().traceId);
    expect(ok.attributes).toMatchObject({
      'hybrid_broker.platform': name,
      'hybrid_broker.driver': platform.driver,
      'hybrid_broker.operation': 'attachVolume',
      'hybrid_broker.server.id': server.id,
      'hybrid_broker.volume.id': volume.id,
    });
    expect(ok.attributes['cloud.provider']).toBe(PROVIDERS[name]);
    expect(ok.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(error.status.code, tree).toBe(SpanStatusCode.ERROR);
    expect(error.attributes['error.type']).toBe('not-found');
    expect(error.attributes['hybrid_broker.volume.id']).toBe(platform.missingVolume);

    const requests = childrenOf(ok, spans).filter((s) => s.kind === SpanKind.CLIENT);
    const pattern = ATTACH_CALL[name];
    if (!pattern) {
      // The memory driver makes no request; its attach is still one span, with its polls as events.
      expect(spans.filter((s) => s.kind === SpanKind.CLIENT)).toEqual([]);
      return;
    }
    expect(requests.length, tree).toBeGreaterThan(0);
    const attach = requests.find((s) => pattern.test(s.name));
    expect(attach, tree).toBeDefined();
    expect(attach?.spanContext().traceId).toBe(ok.spanContext().traceId);
    expect(attach?.attributes).toMatchObject({
      'http.request.method': expect.stringMatching(/^(POST|PUT|PATCH)$/),
      'server.address': '127.0.0.1',
      'http.response.status_code': expect.any(Number),
      'cloud.provider': PROVIDERS[name],
    });
    // Every request span lies within its operation's span.
    for (const request of requests) {
      expect(hrMs(request.startTime)).toBeGreaterThanOrEqual(hrMs(ok.startTime) - 1);
      expect(hrMs(request.endTime)).toBeLessThanOrEqual(hrMs(ok.endTime) + 1);
    }
    // The refusal is a request span too (EC2 answers a missing volume with 400, the others with 404).
    const refused = childrenOf(error, spans).filter(
      (s) => Number(s.attributes['http.response.status_code']) >= 400,
    );
    expect(refused.length, tree).toBeGreaterThan(0);
    expect(refused[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('openstack requests carry one X-OpenStack-Request-ID per operation, the one on its span', async () => {
    const platform = traced.clouds.platforms.find((p) => p.name === 'openstack');
    const cloud = traced.broker.platform('openstack');
    const volumeId = platform?.volume() ?? '';
    traced.otel.reset();
    traced.clouds.openstackHeaders.length = 0;
    await cloud.getVolume({ volumeId });
    await cloud.getVolume({ volumeId });
    const ids = traced.clouds.openstackHeaders.map((h) => h['X-OpenStack-Request-ID']);
    expect(ids).toHaveLength(2);
    for (const id of ids)
      expect(id).toMatch(/^req-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
    const spans = traced.otel.spans().filter((s) => s.name === 'getVolume');
    expect(spans.map((s) => s.attributes['openstack.global_request_id'])).toEqual(ids);
    const request = traced.otel.spans().find((s) => s.kind === SpanKind.CLIENT);
    expect(request?.attributes['openstack.request_id']).toMatch(/^req-/);
  });

  it('the metrics count operations by outcome and requests by status', async () => {
    const metrics = await traced.otel.metrics();
    const byName = new Map(metrics.map((m) => [m.name, m.points]));
    const durations = byName.get('hybrid_broker.operation.duration') ?? [];
    const outcomes = durations
      .filter((p) => p.attributes['hybrid_broker.operation'] === 'attachVolume')
      .map((p) => `${p.attributes['hybrid_broker.platform']} ${p.attributes['hybrid_broker.outcome']}`);
    for (const name of ['memory', 'openstack', 'cascade', 'aws', 'azure']) {
      expect(outcomes).toContain(`${name} ok`);
      expect(outcomes).toContain(`${name} not-found`);
    }
    const requests = byName.get('hybrid_broker.requests') ?? [];
    expect(requests.some((p) => p.attributes['http.response.status_code'] === 404)).toBe(true);
    expect(byName.get('hybrid_broker.operation.wait_duration')?.length).toBeGreaterThan(0);
  });
});

function hrMs(time: readonly [number, number]): number {
  return time[0] * 1000 + time[1] / 1e6;
}
