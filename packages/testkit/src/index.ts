/// <reference types="node" preserve="true" />
/**
 * @packageDocumentation
 * The contract suite every hybrid-broker driver passes, ours or a third
 * party's: `describePlatformDriverContract(name, setup, { runner })`.
 */
export { antiAffinityCases } from './cases-anti-affinity.js';
export { catalogCases } from './cases-catalog.js';
export { convergenceCases } from './cases-convergence.js';
export { forceDetachCases } from './cases-force-detach.js';
export { listCases } from './cases-lists.js';
export { moveCases } from './cases-move.js';
export { powerCases } from './cases-power.js';
export type { ContractCase } from './cases-servers.js';
export { serverCases } from './cases-servers.js';
export { volumeCases } from './cases-volumes.js';
export { watchCases } from './cases-watch.js';
export { watchOutOfBandCases } from './cases-watch-out-of-band.js';
export { contractCases, describePlatformDriverContract, runContractCase } from './contract.js';
export { expectBrokerError } from './expect-error.js';
export { memoryContractTarget } from './memory-target.js';
export type { OutOfBandFixtures } from './out-of-band.js';
export type {
  AntiAffinityFixtures,
  CaseContext,
  CatalogFixtures,
  ContractFixtures,
  ContractOptions,
  ContractRunner,
  ContractTarget,
  RunnerTestContext,
} from './target.js';
