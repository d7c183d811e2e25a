/**
 * The canaries of the secrets suite with OpenTelemetry on: whatever the
 * broker's spans, span events and metrics carry (as the SDK's in-memory
 * exporter and a metric reader see them) holds no password, token, key or
 * client secret, through successful and failing operations.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { teeEventSink } from '../../packages/core/src/index.js';
import {
  type InMemoryTelemetry,
  openInMemoryTelemetry,
} from '../../packages/otel/test/support/in-memory-telemetry.js';
import { EC2_IMAGE, EC2_ZONE, openAwsBed } from '../faults/support/aws-bed.js';
import { ARM, openAzureBed } from '../faults/support/azure-bed.js';
import type { FaultBed } from '../faults/support/fault-kinds.js';
import { OS_ZONE, openOpenStackBed } from '../faults/support/openstack-bed.js';
import { type Capture, createCapture } from './capture.js';
import { mockEntraId } from './entra-id.js';
import { exercise } from './exercise.js';

const OS = { password: 'canary-otel-pw-3c5e7a9b1d' };
const AWS = {
  accessKeyId: 'AKIAOTELCANARY3C5E7A9B',
  secretAccessKey: 'canary-otel-aws-secret-8d0f2b4c6e',
  sessionToken: 'canary-otel-session-5a7c9e1b3d',
};
const AZURE = {
  clientSecret: 'canary~otel.client-secret-2e4a6c8b0d',
  accessToken: 'eyJcanary.otel-access-token.7b9d1f3a5c',
};
const identity = {
  projects: [{ name: 'demo' }],
  users: [{ name: 'demo', password: OS.password, defaultProject: 'demo' }],
};

let beds: FaultBed[] = [];
let otel: InMemoryTelemetry | undefined;
afterEach(async () => {
  for (const bed of beds) await bed.stop();
  beds = [];
  await otel?.shutdown();
  otel = undefined;
  nock.cleanAll();
});

/** A capture and telemetry behind one broker's services. */
function traced(): { capture: Capture; telemetry: InMemoryTelemetry; services: object } {
  const capture = createCapture();
  const telemetry = openInMemoryTelemetry();
  otel = telemetry;
  const services = {
    callScope: telemetry.telemetry.callScope,
    events: teeEventSink(capture.events, telemetry.telemetry.events),
    logger: capture.logger,
  };
  return { capture, telemetry, services };
}

async function leaksIn(telemetry: InMemoryTelemetry, canaries: readonly string[]): Promise<string[]> {
  const text = await telemetry.exported();
  return canaries.filter((c) => text.includes(c));
}

describe('no secret reaches the OpenTelemetry exporter', () => {
  it('openstack: the password and the tokens Keystone issued stay out of spans and metrics', async () => {
    const { capture, telemetry, services } = traced();
    // The tokens Keystone issued, as the driver sent them: canaries too.
    const tokens = new Set<string>();
    const fetch: typeof globalThis.fetch = (input, init) => {
      const token = (init?.headers as Record<string, string> | undefined)?.['X-Auth-Token'];
      if (token) tokens.add(token);
      return globalThis.fetch(input, init);
    };
    const bed = await openOpenStackBed({ sim: { identity }, services: { ...services, fetch } });
    beds.push(bed);
    expect(
      await exercise(
        bed,
        capture,
        { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: OS_ZONE },
        ['revoked'],
      ),
    ).toBeGreaterThanOrEqual(5);
    // The run was traced: failures included, so error spans were exported too.
    const spans = telemetry.spans();
    expect(spans.length).toBeGreaterThan(10);
    expect(spans.some((s) => s.attributes['error.type'] !== undefined)).toBe(true);
    expect(tokens.size).toBeGreaterThan(0);
    expect(await leaksIn(telemetry, [OS.password, ...tokens])).toEqual([]);
  });

  it('aws: access key id, secret key and session token stay out of spans and metrics', async () => {
    const { capture, telemetry, services } = traced();
    const bed = await openAwsBed({ config: { credentials: AWS }, services });
    beds.push(bed);
    expect(
      await exercise(bed, capture, { image: EC2_IMAGE, flavor: 't3.micro', availabilityZone: EC2_ZONE }),
    ).toBeGreaterThanOrEqual(5);
    expect(telemetry.spans().length).toBeGreaterThan(10);
    expect(await leaksIn(telemetry, Object.values(AWS))).toEqual([]);
  });

  it('azure: the client secret and the bearer token stay out of spans and metrics', async () => {
    const { capture, telemetry, services } = traced();
    const sent = mockEntraId(AZURE.accessToken);
    const bed = await openAzureBed({
      config: {
        credentials: {
          type: 'client-secret',
          tenantId: sent.tenant,
          clientId: sent.client,
          clientSecret: AZURE.clientSecret,
        },
      },
      services,
    });
    beds.push(bed);
    expect(
      await exercise(bed, capture, { image: ARM.image, flavor: ARM.flavor, availabilityZone: ARM.zone }),
    ).toBeGreaterThanOrEqual(5);
    expect(sent.secrets()).toContain(AZURE.clientSecret);
    expect(telemetry.spans().length).toBeGreaterThan(10);
    expect(await leaksIn(telemetry, Object.values(AZURE))).toEqual([]);
  });
});
