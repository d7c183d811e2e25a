import type { RequestBudgetOptions } from '@hybrid-broker/core';

/**
 * The request budget of an OpenStack platform whose config sets none.
 *
 * OpenStack documents no fixed API rate: Nova's own limiter (documented in the
 * Mitaka "Configure the Compute API" reference at 120 requests a minute per verb
 * and resource, answered with 403/413) was removed in Newton, and Cinder has none.
 * Deployments put a limiter (HAProxy, nginx `limit_req`, a gateway) in front of the
 * APIs, answering 429 with Retry-After, at a rate the operator picks. So the default
 * is a guard, not a quota: 100 requests a second with a burst of 200 keeps one broker
 * from flooding its cloud during a mass failover, while a coalesced failover of
 * hundreds of volumes needs a few requests a second. Set `scale.requestBudget` to the
 * deployment's own limit when it has one.
 */
export const OPENSTACK_REQUEST_BUDGET: RequestBudgetOptions = Object.freeze({
  requestsPerSecond: 100,
  burst: 200,
});
