/**
 * @packageDocumentation
 * An emulation of Azure Resource Manager for Microsoft.Compute VMs and managed
 * disks and Microsoft.Network NICs: {@link ArmCloud} holds the state,
 * {@link createArmService} answers ARM's REST API, {@link startArmSim} serves it on loopback.
 */
export { type ArmChange, ArmCloud, type ArmCloudOptions } from './arm-cloud.js';
export { ArmError, type ArmTimings, DEFAULT_ARM_TIMINGS } from './arm-model.js';
export { type ArmServiceOptions, createArmService } from './arm-service.js';
export { type ArmSim, type ArmSimOptions, startArmSim } from './arm-sim.js';
export { VmUpdateCounts } from './arm-vm-updates.js';
