/**
 * listFlavors through every driver against cloud-sim makes an operation span named for it,
 * parent of the client span of each request it sent (none for memory).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { type Broker, createBroker } from '@hybrid-broker/core';
import { awsDriver } from '@hybrid-broker/driver-aws';
import { azureDriver } from '@hybrid-broker/driver-azure';
import { cascadingDriver } from '@hybrid-broker/driver-cascading';
import { openstackDriver } from '@hybrid-broker/driver-openstack';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSpanTree } from '../src/index.js';
import { type Clouds, startClouds } from './support/clouds.js';
import { type InMemoryTelemetry, openInMemoryTelemetry } from './support/in-memory-telemetry.js';

let clouds: Clouds;
let otel: InMemoryTelemetry;
let broker: Broker;

beforeAll(async () => {
  otel = openInMemoryTelemetry();
  clouds = await startClouds();
  broker = createBroker(clouds.config, {
    drivers: [openstackDriver, cascadingDriver, awsDriver, azureDriver],
    services: { ...otel.telemetry.services, fetch: clouds.fetch },
  });
});

afterAll(async () => {
  await broker?.close();
  await clouds?.stop();
  await otel?.shutdown();
});

describe('the span of a catalog list', () => {
  it.each(['memory', 'openstack', 'cascade', 'aws', 'azure'] as const)('%s', async (name) => {
    otel.reset();
    const flavors = await broker.platform(name).listFlavors({ minVcpus: 1 });
    expect(flavors.length).toBeGreaterThan(0);
    const spans = otel.spans();
    const tree = formatSpanTree(spans);
    const lists = spans.filter((s) => s.name === 'listFlavors');
    expect(lists, tree).toHaveLength(1);
    const [list] = lists;
    if (!list) return;
    const requests = spans.filter(
      (s) => s.kind === SpanKind.CLIENT && s.parentSpanContext?.spanId === list.spanContext().spanId,
    );
    if (name === 'memory') expect(requests, tree).toHaveLength(0);
    else expect(requests.length, tree).toBeGreaterThan(0);
  });
});
