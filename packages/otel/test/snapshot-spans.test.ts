/**
 * The snapshot calls get operation spans like every other operation: named after it,
 * with the platform and operation attributes, and the cloud's requests as their children.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { describe, expect, it } from 'vitest';
import { formatSpanTree } from '../src/index.js';
import { requestsOf, useTracedBroker } from './support/traced-broker.js';

const traced = useTracedBroker();

describe('the spans of the snapshot calls', () => {
  it.each(['memory', 'openstack', 'cascade'] as const)('%s', async (name) => {
    const platform = traced.clouds.platforms.find((p) => p.name === name);
    if (!platform) throw new Error(`no platform ${name}`);
    const cloud = traced.broker.platform(name);
    const volume = await cloud.createVolume({
      name: `otel-snap-${name}`,
      sizeGiB: 1,
      availabilityZone: platform.create.availabilityZone,
    });
    traced.otel.reset();
    const snap = await cloud.createSnapshot({ volumeId: volume.id, name: `otel-snap-${name}` });
    await cloud.getSnapshot({ snapshotId: snap.id });
    await cloud.listSnapshots({ volumeId: volume.id });
    await cloud.deleteSnapshot({ snapshotId: snap.id });
    const spans = traced.otel.spans();
    const tree = formatSpanTree(spans);
    for (const operation of ['createSnapshot', 'getSnapshot', 'listSnapshots', 'deleteSnapshot']) {
      const span = spans.find((s) => s.name === operation);
      expect(span, tree).toBeDefined();
      expect(span?.attributes).toMatchObject({
        'hybrid_broker.platform': name,
        'hybrid_broker.operation': operation,
      });
      const requests = requestsOf(spans, span);
      if (name !== 'memory') expect(requests.length, tree).toBeGreaterThan(0);
    }
    await cloud.deleteVolume({ volumeId: volume.id });
  });
});
