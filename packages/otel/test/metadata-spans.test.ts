/**
 * setVolumeMetadata and setServerMetadata get operation spans like every other operation:
 * named after it, with the platform and operation attributes, and the cloud's requests
 * (the read, the merge, the wait's read) as their children.
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

describe('the span of a volume metadata change', () => {
  it.each(['memory', 'openstack', 'cascade', 'aws'] as const)('%s', async (name) => {
    const platform = clouds.platforms.find((p) => p.name === name);
    if (!platform) throw new Error(`no platform ${name}`);
    const cloud = broker.platform(name);
    const made = await cloud.createVolume({
      name: `otel-tag-${name}`,
      sizeGiB: 1,
      availabilityZone: platform.create.availabilityZone,
    });
    otel.reset();
    await cloud.setVolumeMetadata({ volumeId: made.id, set: { owner: 'replica-a' } });
    const spans = otel.spans();
    const tree = formatSpanTree(spans);
    const span = spans.find((s) => s.name === 'setVolumeMetadata');
    expect(span, tree).toBeDefined();
    expect(span?.attributes).toMatchObject({
      'hybrid_broker.platform': name,
      'hybrid_broker.operation': 'setVolumeMetadata',
    });
    const requests = spans.filter(
      (s) => s.kind === SpanKind.CLIENT && s.parentSpanContext?.spanId === span?.spanContext().spanId,
    );
    if (name !== 'memory') expect(requests.length, tree).toBeGreaterThan(0);
    await cloud.deleteVolume({ volumeId: made.id });
  });
});
