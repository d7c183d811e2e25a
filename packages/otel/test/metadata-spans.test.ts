/**
 * setVolumeMetadata and setServerMetadata get operation spans like every other operation:
 * named after it, with the platform and operation attributes, and the cloud's requests
 * (the read, the merge, the wait's read) as their children.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { describe, expect, it } from 'vitest';
import { formatSpanTree } from '../src/index.js';
import { requestsOf, useTracedBroker } from './support/traced-broker.js';

const traced = useTracedBroker();

describe('the span of a volume metadata change', () => {
  it.each(['memory', 'openstack', 'cascade', 'aws'] as const)('%s', async (name) => {
    const platform = traced.clouds.platforms.find((p) => p.name === name);
    if (!platform) throw new Error(`no platform ${name}`);
    const cloud = traced.broker.platform(name);
    const made = await cloud.createVolume({
      name: `otel-tag-${name}`,
      sizeGiB: 1,
      availabilityZone: platform.create.availabilityZone,
    });
    traced.otel.reset();
    await cloud.setVolumeMetadata({ volumeId: made.id, set: { owner: 'replica-a' } });
    const spans = traced.otel.spans();
    const tree = formatSpanTree(spans);
    const span = spans.find((s) => s.name === 'setVolumeMetadata');
    expect(span, tree).toBeDefined();
    expect(span?.attributes).toMatchObject({
      'hybrid_broker.platform': name,
      'hybrid_broker.operation': 'setVolumeMetadata',
    });
    const requests = requestsOf(spans, span);
    if (name !== 'memory') expect(requests.length, tree).toBeGreaterThan(0);
    await cloud.deleteVolume({ volumeId: made.id });
  });
});
