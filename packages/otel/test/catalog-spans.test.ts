/**
 * listFlavors through every driver against cloud-sim makes an operation span named for it,
 * parent of the client span of each request it sent (none for memory).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { describe, expect, it } from 'vitest';
import { formatSpanTree } from '../src/index.js';
import { requestsOf, useTracedBroker } from './support/traced-broker.js';

const traced = useTracedBroker();

describe('the span of a catalog list', () => {
  it.each(['memory', 'openstack', 'cascade', 'aws', 'azure'] as const)('%s', async (name) => {
    traced.otel.reset();
    const flavors = await traced.broker.platform(name).listFlavors({ minVcpus: 1 });
    expect(flavors.length).toBeGreaterThan(0);
    const spans = traced.otel.spans();
    const tree = formatSpanTree(spans);
    const lists = spans.filter((s) => s.name === 'listFlavors');
    expect(lists, tree).toHaveLength(1);
    const [list] = lists;
    if (!list) return;
    const requests = requestsOf(spans, list);
    if (name === 'memory') expect(requests, tree).toHaveLength(0);
    else expect(requests.length, tree).toBeGreaterThan(0);
  });
});
