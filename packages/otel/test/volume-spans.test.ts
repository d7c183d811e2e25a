/**
 * createVolume and deleteVolume get operation spans like every other
 * operation: named after it, with the platform, driver and operation
 * attributes, and the cloud's requests as their children.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { describe, expect, it } from 'vitest';
import { formatSpanTree } from '../src/index.js';
import { requestsOf, useTracedBroker } from './support/traced-broker.js';

const traced = useTracedBroker();

describe('the spans of a volume create and delete', () => {
  it.each(['memory', 'openstack', 'cascade', 'aws', 'azure'] as const)('%s', async (name) => {
    const platform = traced.clouds.platforms.find((p) => p.name === name);
    if (!platform) throw new Error(`no platform ${name}`);
    const cloud = traced.broker.platform(name);
    traced.otel.reset();
    const made = await cloud.createVolume({
      name: `otel-vol-${name}`,
      sizeGiB: 1,
      availabilityZone: platform.create.availabilityZone,
    });
    await cloud.deleteVolume({ volumeId: made.id });
    const spans = traced.otel.spans();
    const tree = formatSpanTree(spans);
    for (const operation of ['createVolume', 'deleteVolume']) {
      const span = spans.find((s) => s.name === operation);
      expect(span, tree).toBeDefined();
      expect(span?.attributes).toMatchObject({
        'hybrid_broker.platform': name,
        'hybrid_broker.operation': operation,
      });
      const requests = requestsOf(spans, span);
      if (name !== 'memory') expect(requests.length, tree).toBeGreaterThan(0);
    }
  });
});
