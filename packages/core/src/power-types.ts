/**
 * The types of the power operations (`startServer`, `stopServer`, `rebootServer`) and of a
 * server's normalized power state. Kept apart from types.ts, which imports the state from here.
 */

/**
 * A server's power, the same on every cloud:
 * - `running`, `stopped`: settled (Nova ACTIVE / SHUTOFF, EC2 running / stopped, Azure
 *   `PowerState/running` / `PowerState/stopped` or `PowerState/deallocated`);
 * - `starting`, `stopping`: a power change under way (Nova task `powering-on` / `powering-off`
 *   and BUILD, EC2 pending / stopping, Azure starting / stopping / deallocating);
 * - `rebooting`: a reboot under way (Nova REBOOT / HARD_REBOOT; EC2 and Azure show none);
 * - `unknown`: anything else (paused, suspended, shelved, a state the driver does not know).
 */
export type ServerPowerState = (typeof SERVER_POWER_STATES)[number];

/** Every normalized power state, for schemas, CLI output and exhaustive tests. */
export const SERVER_POWER_STATES = [
  'running',
  'stopped',
  'starting',
  'stopping',
  'rebooting',
  'unknown',
] as const;

/** Start a stopped server (`startServer`). */
export interface StartServerRequest {
  readonly serverId: string;
}

/** Stop a running server (`stopServer`). */
export interface StopServerRequest {
  readonly serverId: string;
  /**
   * Azure only: deallocate the VM (`powerOff` then `deallocate`), so its compute is no longer
   * billed; its power state then reads `PowerState/deallocated`, normalized `stopped`. Other
   * clouds have one kind of stop and ignore it (an EC2 stop already releases the host).
   * Default false.
   */
  readonly deallocate?: boolean;
}

/** Reboot a running server (`rebootServer`). */
export interface RebootServerRequest {
  readonly serverId: string;
  /**
   * A hard reboot (Nova `HARD`, a power cycle). Default false: a soft, guest-initiated one.
   * EC2 and Azure have one kind of reboot and ignore it.
   */
  readonly hard?: boolean;
}

/** The power operations, for events, capability refusals and the engine. */
export type PowerOperation = 'startServer' | 'stopServer' | 'rebootServer';
