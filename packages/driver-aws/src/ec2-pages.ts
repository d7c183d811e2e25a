import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ListPage, PageOptions, Server, ServerFilter, Volume, VolumeFilter } from '@hybrid-broker/core';
import {
  describeInstancesPage,
  describeVolumesPage,
  instanceQuery,
  matchingEbsVolumes,
  matchingInstances,
  volumeQuery,
} from './ec2-lists.js';

/**
 * `MaxResults` for a page: what the caller still wants, within EC2's range (5 to `max`;
 * EC2 API reference, DescribeInstances 5-1000, DescribeVolumes 5-500). The cursor is EC2's
 * NextToken, which EC2 checks itself.
 */
function maxResults(options: PageOptions, max: number): number | undefined {
  return options.pageSize === undefined ? undefined : Math.min(Math.max(5, options.pageSize), max);
}

/** One DescribeInstances page of the instances that match `filter`. */
export async function instancesPage(
  client: EC2Client,
  filter: ServerFilter,
  region: string,
  options: PageOptions,
): Promise<ListPage<Server>> {
  const query = instanceQuery(filter);
  const page = await describeInstancesPage(
    client,
    query.filters,
    options.cursor,
    maxResults(options, 1_000),
    options.signal,
  );
  return { items: matchingInstances(page.instances, filter, query.token, region), next: page.next };
}

/** One DescribeVolumes page of the volumes that match `filter`. */
export async function ebsVolumesPage(
  client: EC2Client,
  filter: VolumeFilter,
  region: string,
  options: PageOptions,
): Promise<ListPage<Volume>> {
  const page = await describeVolumesPage(
    client,
    volumeQuery(filter),
    options.cursor,
    maxResults(options, 500),
    options.signal,
  );
  return { items: matchingEbsVolumes(page.volumes, filter, region), next: page.next };
}
