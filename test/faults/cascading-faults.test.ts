/**
 * The cascading driver against cloud-sim's cascading OpenStack (one Keystone,
 * a catalog region per cloud), every operation under every fault. Each region
 * is an OpenStack driver on the shared token, so the outcomes are OpenStack's:
 * see openstack-faults.test.ts for why each one is right. A token revoked in
 * one region's request re-authenticates the one shared token and repeats.
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

describeFaultTable(
  'cascading (cloud-sim, one region of two)',
  () => openOpenStackBed({ cascading: true }),
  TABLE,
  {
    create: { image: 'cirros-0.6.2-x86_64-disk', flavor: 'm1.small', availabilityZone: 'az1' },
  },
);
