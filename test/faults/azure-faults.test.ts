/**
 * The azure driver against cloud-sim's ARM emulation, every operation under
 * every fault. Core's retry policy decides (the SDK's own retries are off):
 * reads, and PUT/PATCH/DELETE by name (idempotent in ARM), are repeated after
 * a 500 or 503 (ARM's 500s are transient by Azure's own guidance), a 429
 * (after its Retry-After), a dropped connection or a proxy's 502. Entra ID
 * tokens are not revoked by ARM mid-call: no `revoked` row. A managed disk
 * has no transitional state of its own (the VM's provisioningState carries
 * an attach), and a VM delete has no error end state: those rows are skipped.
 */
import { ARM, openAzureBed } from './support/azure-bed.js';
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
  stuck:         ['timeout',        'ok',             'skip: a disk has no transitional state',           'timeout',        'timeout',        'timeout'],
  'error-state': ['provider-error', 'ok',             'ok',             'provider-error', 'provider-error', 'skip: a VM delete has no error end state'],
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
  'retry-after-date':     ['throttled', 'throttled',  'throttled',      'throttled',      'throttled',      'throttled'],
  'retry-after-huge':     ['throttled', 'throttled',  'throttled',      'throttled',      'throttled',      'throttled'],
};

describeFaultTable('azure (cloud-sim ARM)', () => openAzureBed(), TABLE, {
  create: { image: ARM.image, flavor: ARM.flavor, availabilityZone: ARM.zone },
});
