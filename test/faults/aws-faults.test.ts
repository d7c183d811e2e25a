/**
 * The aws driver against cloud-sim's EC2 emulation, every operation under
 * every fault. The SDK's retry strategy is the one retry layer: it repeats
 * InternalError, 503s, throttling and dropped connections (RunInstances keeps
 * its ClientToken across them, and the runner checks one instance came of it).
 * EC2 has no Keystone token to revoke: no `revoked` row. An instance whose
 * launch failed is terminated by EC2, so reading it is `not-found` (the
 * contract's "gone"); a terminate has no error state to end in.
 */
import { EC2_IMAGE, EC2_ZONE, openAwsBed } from './support/aws-bed.js';
import type { FaultTable } from './support/fault-kinds.js';
import { describeFaultTable } from './support/fault-runner.js';

// biome-ignore format: a table reads best as one row per fault
const TABLE: FaultTable = {
  //            createServer      getServer         getVolume         attachVolume      detachVolume      deleteServer
  '500':         ['ok',             'ok',             'ok',             'ok',             'ok',             'ok'],
  '503':         ['ok',             'ok',             'ok',             'ok',             'ok',             'ok'],
  '429':         ['ok',             'ok',             'ok',             'ok',             'ok',             'ok'],
  reset:         ['ok',             'ok',             'ok',             'ok',             'ok',             'ok'],
  latency:       ['aborted',        'aborted',        'aborted',        'aborted',        'aborted',        'aborted'],
  stuck:         ['timeout',        'ok',             'ok',             'timeout',        'timeout',        'timeout'],
  'error-state': ['provider-error', 'not-found',      'ok',             'provider-error', 'provider-error', 'skip: EC2 has no error state a terminate ends in'],
  malformed:     ['provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error'],
  html:          ['ok',             'ok',             'ok',             'ok',             'ok',             'ok'],
  redirect:      ['provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error'],
  'html-200':    ['ok',             'ok',             'ok',             'ok',             'ok',             'ok'],
  'stalled-body':['timeout',        'timeout',        'timeout',        'timeout',        'timeout',        'timeout'],
  oversized:     ['provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error', 'provider-error'],
  truncated:     ['ok',             'ok',             'ok',             'ok',             'ok',             'ok'],
  'retry-after-0':        ['ok',    'ok',             'ok',             'ok',             'ok',             'ok'],
  'retry-after-negative': ['ok',    'ok',             'ok',             'ok',             'ok',             'ok'],
  'retry-after-garbage':  ['ok',    'ok',             'ok',             'ok',             'ok',             'ok'],
  'retry-after-date':     ['ok',    'ok',             'ok',             'ok',             'ok',             'ok'],
  'retry-after-huge':     ['ok',    'ok',             'ok',             'ok',             'ok',             'ok'],
};

describeFaultTable('aws (cloud-sim EC2)', () => openAwsBed(), TABLE, {
  create: { image: EC2_IMAGE, flavor: 't3.micro', availabilityZone: EC2_ZONE },
});
