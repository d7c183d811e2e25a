import { BrokerError, isBrokerError } from '@hybrid-broker/core';
import { z } from 'zod';
import { parseBody } from '../common/parse-body.js';
import type { NovaClient } from './nova-client.js';

const groupSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  // Up to 2.63 a list of policies; from 2.64 one `policy` (and `rules`).
  policies: z.array(z.string()).nullish(),
  policy: z.string().nullish(),
});
const listBody = z.looseObject({ server_groups: z.array(groupSchema) });
const oneBody = z.looseObject({ server_group: groupSchema });

/** A Nova server group as the broker reads it. */
export type NovaServerGroup = z.infer<typeof groupSchema>;

const POLICY = 'anti-affinity';
const PAGE = 1000; // Nova's default osapi_max_limit; a shorter page is the last.
const MAX_PAGES = 100;
// Nova's `name` parameter type: printable, 1-255 characters, no leading or trailing whitespace.
const NOVA_NAME = /^\S(?:[^\p{Cc}]{0,253}\S)?$/u;

/** Checks a group name against Nova's grammar, before anything is sent. */
export function checkServerGroupName(name: string): void {
  if (!NOVA_NAME.test(name)) {
    throw new BrokerError(
      'invalid-request',
      'antiAffinityGroup must be 1-255 printable characters without leading or trailing spaces (a Nova server group name)',
      { field: 'antiAffinityGroup' },
    );
  }
}

/**
 * Finds the project's anti-affinity server group of this name, or makes it.
 *
 * Two brokers may both find none and both create one. Each re-lists after its
 * create and takes the first group of the name in Nova's listing. Nova lists
 * server groups in the order they were created (the API database's id), and a
 * group's create has committed before a later create starts, so a broker that
 * made a later group always sees the earlier one listed ahead of its own:
 * every broker picks the oldest, and the members never split. (The uuid is
 * random, so "lowest id" would let the first broker keep a group a later one
 * sorts ahead of; and Nova shows no created time for groups.) The loser's
 * empty group is deleted. A group of the name with another policy is refused,
 * as placing into it would not keep the servers apart.
 */
export async function resolveServerGroup(
  nova: NovaClient,
  /** True at microversion 2.64 and later, where a group has one `policy` instead of `policies`. */
  singlePolicy: boolean,
  name: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  checkServerGroupName(name);
  const found = first(await listServerGroups(nova, signal), name);
  if (found) return found.id;
  const mine = await createServerGroup(nova, singlePolicy, name, signal);
  const winner = first(await listServerGroups(nova, signal), name) ?? mine;
  if (winner.id !== mine.id) await deleteServerGroup(nova, mine.id, signal);
  return winner.id;
}

function first(groups: readonly NovaServerGroup[], name: string): NovaServerGroup | undefined {
  const named = groups.find((g) => g.name === name);
  if (named === undefined) return undefined;
  const policies = named.policy ? [named.policy] : (named.policies ?? []);
  if (!policies.includes(POLICY)) {
    throw new BrokerError(
      'conflict',
      `server group "${name}" exists with policy ${policies.join(', ') || 'none'}, not ${POLICY}`,
      { field: 'antiAffinityGroup' },
    );
  }
  return named;
}

/** Every server group of the project (`GET /os-server-groups`, paged by limit and offset). */
export async function listServerGroups(
  nova: NovaClient,
  signal: AbortSignal | undefined,
): Promise<NovaServerGroup[]> {
  const all: NovaServerGroup[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const path = `/os-server-groups?limit=${PAGE}&offset=${page * PAGE}`;
    const body = parseBody(
      listBody,
      (await nova.send({ method: 'GET', path, signal })).body,
      'nova server groups',
    );
    all.push(...body.server_groups);
    if (body.server_groups.length < PAGE) break;
  }
  return all;
}

/** `POST /os-server-groups` with `policies` (before 2.64) or `policy` (2.64 on). */
async function createServerGroup(
  nova: NovaClient,
  singlePolicy: boolean,
  name: string,
  signal: AbortSignal | undefined,
): Promise<NovaServerGroup> {
  const policy = singlePolicy ? { policy: POLICY } : { policies: [POLICY] };
  const { body } = await nova.send({
    method: 'POST',
    path: '/os-server-groups',
    body: { server_group: { name, ...policy } },
    signal,
  });
  return parseBody(oneBody, body, 'nova server group').server_group;
}

async function deleteServerGroup(
  nova: NovaClient,
  id: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await nova.send({ method: 'DELETE', path: `/os-server-groups/${encodeURIComponent(id)}`, signal });
  } catch (error) {
    // Gone already (another broker cleaned it up): the outcome wanted.
    if (!isBrokerError(error, 'not-found')) throw error;
  }
}
