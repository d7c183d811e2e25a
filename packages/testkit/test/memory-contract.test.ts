import { afterAll, beforeAll, describe, it } from 'vitest';
import { describePlatformDriverContract, memoryContractTarget } from '../src/index.js';

describePlatformDriverContract('memory', () => memoryContractTarget(), {
  runner: { describe, it, beforeAll, afterAll },
});
