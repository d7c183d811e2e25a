import {
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type Volume as Ec2Volume,
  type Filter,
  type Instance,
} from '@aws-sdk/client-ec2';
import type { Server, ServerFilter, Volume, VolumeFilter, VolumeStatus } from '@hybrid-broker/core';
import { serverMatches, volumeMatches } from '@hybrid-broker/core/driver-kit';
import { clientTokenFor, IDEMPOTENCY_TAG } from './client-token.js';
import { ec2Call } from './ec2-calls.js';
import { toServer, toVolume } from './ec2-mappers.js';

// Lists are followed to the end, but an API that keeps handing out NextToken must not loop forever.
const MAX_PAGES = 1_000;

// Normalized statuses that are one EC2 volume state (`attaching` and `detaching` are attachment states).
const EC2_VOLUME_STATE: Partial<Record<VolumeStatus, string>> = {
  available: 'available',
  creating: 'creating',
  error: 'error',
};

/** `tag:<key>` filters for the name (the `Name` tag) and every metadata pair. */
function tagFilters(
  name: string | undefined,
  metadata: Readonly<Record<string, string>> | undefined,
): Filter[] {
  const pairs = { ...metadata, ...(name === undefined ? {} : { Name: name }) };
  return Object.entries(pairs).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
}

/**
 * The instances that match `filter`, every page read. EC2 filters by tags
 * (EC2 API reference, DescribeInstances, "Filters": `tag:<key>`); the
 * idempotency key is found by the tag every keyed create sets
 * ({@link IDEMPOTENCY_TAG}), not by the `client-token` filter, which moto does
 * not implement (it answers a 500 page). The exact match is checked again
 * here. Terminated instances, which EC2 lists for about an hour, are left out.
 */
export async function listInstances(
  client: EC2Client,
  filter: ServerFilter,
  region: string,
  signal: AbortSignal | undefined,
): Promise<Server[]> {
  const query = instanceQuery(filter);
  const found: Instance[] = [];
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await describeInstancesPage(client, query.filters, next, undefined, signal);
    found.push(...out.instances);
    next = out.next;
    if (next === undefined) break;
  }
  return matchingInstances(found, filter, query.token, region);
}

/** EC2's filters for `filter`, and the client token its idempotency key stands for. */
export function instanceQuery(filter: ServerFilter): { filters: Filter[]; token: string | undefined } {
  const filters = tagFilters(filter.name, filter.metadata);
  const token = filter.idempotencyKey === undefined ? undefined : clientTokenFor(filter.idempotencyKey);
  if (token !== undefined) filters.push({ Name: `tag:${IDEMPOTENCY_TAG}`, Values: [token] });
  return { filters, token };
}

/** One DescribeInstances page (`MaxResults`, 5 to 1000, when given), and its NextToken. */
export async function describeInstancesPage(
  client: EC2Client,
  filters: Filter[],
  next: string | undefined,
  maxResults: number | undefined,
  signal: AbortSignal | undefined,
): Promise<{ instances: Instance[]; next: string | undefined }> {
  const out = await ec2Call('DescribeInstances', signal, (o) =>
    client.send(
      new DescribeInstancesCommand({
        ...(filters.length > 0 ? { Filters: filters } : {}),
        ...(next === undefined ? {} : { NextToken: next }),
        ...(maxResults === undefined ? {} : { MaxResults: maxResults }),
      }),
      o,
    ),
  );
  return {
    instances: (out.Reservations ?? []).flatMap((r) => r.Instances ?? []),
    next: out.NextToken || undefined,
  };
}

/** The instances of `found` that match `filter` exactly; terminated ones are left out. */
export function matchingInstances(
  found: readonly Instance[],
  filter: ServerFilter,
  token: string | undefined,
  region: string,
): Server[] {
  return found
    .filter((i) => i.State?.Name !== 'terminated')
    .map((i) => ({ server: toServer(i, region), key: tokenOf(i) }))
    .filter(({ server, key }) =>
      serverMatches(server, { ...filter, ...(token === undefined ? {} : { idempotencyKey: token }) }, key),
    )
    .map(({ server }) => server);
}

/** The idempotency token an instance was created with: its tag, else EC2's own ClientToken. */
function tokenOf(instance: Instance): string | undefined {
  return instance.Tags?.find((t) => t.Key === IDEMPOTENCY_TAG)?.Value ?? instance.ClientToken;
}

/**
 * The volumes that match `filter`, every page read: EC2 filters by tags,
 * `attachment.instance-id` and `status` (DescribeVolumes, "Filters"); the
 * normalized status and exact match are checked again here.
 */
export async function listEbsVolumes(
  client: EC2Client,
  filter: VolumeFilter,
  region: string,
  signal: AbortSignal | undefined,
): Promise<Volume[]> {
  const filters = volumeQuery(filter);
  const found: Ec2Volume[] = [];
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await describeVolumesPage(client, filters, next, undefined, signal);
    found.push(...out.volumes);
    next = out.next;
    if (next === undefined) break;
  }
  return matchingEbsVolumes(found, filter, region);
}

/** EC2's filters for `filter`: tags, the attached instance and the one-state statuses. */
export function volumeQuery(filter: VolumeFilter): Filter[] {
  const filters = tagFilters(filter.name, filter.metadata);
  if (filter.serverId !== undefined)
    filters.push({ Name: 'attachment.instance-id', Values: [filter.serverId] });
  const state = filter.status === undefined ? undefined : EC2_VOLUME_STATE[filter.status];
  if (state !== undefined) filters.push({ Name: 'status', Values: [state] });
  return filters;
}

/** One DescribeVolumes page (`MaxResults`, 5 to 500, when given), and its NextToken. */
export async function describeVolumesPage(
  client: EC2Client,
  filters: Filter[],
  next: string | undefined,
  maxResults: number | undefined,
  signal: AbortSignal | undefined,
): Promise<{ volumes: Ec2Volume[]; next: string | undefined }> {
  const out = await ec2Call('DescribeVolumes', signal, (o) =>
    client.send(
      new DescribeVolumesCommand({
        ...(filters.length > 0 ? { Filters: filters } : {}),
        ...(next === undefined ? {} : { NextToken: next }),
        ...(maxResults === undefined ? {} : { MaxResults: maxResults }),
      }),
      o,
    ),
  );
  return { volumes: out.Volumes ?? [], next: out.NextToken || undefined };
}

/** The volumes of `found` that match `filter` exactly (the normalized status included). */
export function matchingEbsVolumes(
  found: readonly Ec2Volume[],
  filter: VolumeFilter,
  region: string,
): Volume[] {
  return found.map((v) => toVolume(v, region)).filter((v) => volumeMatches(v, filter));
}
