/**
 * The openstack driver against cloud-sim, every operation under every fault.
 * Reads and DELETEs are repeated after a failure that means "try again" (503,
 * reset, a proxy's 502); so is a create, which carries an idempotency key (the
 * runner checks one server came of it). An attach POST is not repeated, since
 * Nova may have acted: it ends in `unavailable`. A 500 is the cloud's own
 * failure: `provider-error`, never retried. A 401 from a revoked token
 * re-authenticates once and repeats. A 200 whose JSON is cut short is a
 * retryable `provider-error`: repeated like a 503, never taken as a result.
 *
 * deleteServer under error-state ends in `provider-error` at once: Nova marks
 * a server it is deleting with task_state "deleting" (also one already in
 * ERROR), so ERROR without it means the delete itself failed.
 */

import type { FaultTable } from './support/fault-kinds.js';
import { describeFaultTable } from './support/fault-runner.js';
import { openOpenStackBed } from './support/openstack-bed.js';

// biome-ignore format: a table reads best as one row per fault
const TABLE: FaultTable = {
  //            createServer      getServer         getVolume         attachVolume      detachVolume      deleteServer
  '500':         ['provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error'],
  '503':         ['ok',             'ok',             'ok',             'unavailable',    'ok',             'ok'],
  '429':         ['ok',             'ok',             'ok',             'ok',             'ok',             'ok'],
  reset:         ['ok',             'ok',             'ok',             'unavailable',    'ok',             'ok'],
  latency:       ['aborted',        'aborted',        'aborted',        'aborted',        'aborted',        'aborted'],
  revoked:       ['ok',             'ok',             'ok',             'ok',             'ok',             'ok'],
  stuck:         ['timeout',        'ok',             'ok',             'timeout',        'timeout',        'timeout'],
  'error-state': ['provider-error', 'ok',             'ok',             'provider-error', 'provider-error', 'provider-error'],
  malformed:     ['ok',             'ok',             'ok',             'provider-error', 'ok',             'ok'],
  html:          ['ok',             'ok',             'ok',             'unavailable',    'ok',             'ok'],
  redirect:      ['provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error'],
  'html-200':    ['ok',             'ok',             'ok',             'unavailable',    'ok',             'ok'],
  'stalled-body':['timeout',        'timeout',        'timeout',        'timeout',        'timeout',        'timeout'],
  oversized:     ['provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error'],
  truncated:     ['ok',             'ok',             'ok',             'unavailable',    'ok',             'ok'],
  'retry-after-0':        ['ok',    'ok',             'ok',             'ok',             'ok',             'ok'],
  'retry-after-negative': ['ok',    'ok',             'ok',             'ok',             'ok',             'ok'],
  'retry-after-garbage':  ['ok',    'ok',             'ok',             'ok',             'ok',             'ok'],
  'retry-after-date':     ['throttled', 'throttled',  'throttled',      'throttled',      'throttled',      'throttled'],
  'retry-after-huge':     ['throttled', 'throttled',  'throttled',      'throttled',      'throttled',      'throttled'],
};

describeFaultTable('openstack (cloud-sim)', () => openOpenStackBed(), TABLE, {
  create: { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'az1' },
});
