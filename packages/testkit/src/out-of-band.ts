/**
 * Changes made to the cloud through its own API, not through the driver under test: what the
 * watch cases need to show that a watch learns what others change. Each call returns once the
 * cloud took the request; the change may land later, as it does on a cloud.
 */
export interface OutOfBandFixtures {
  /** Attaches the volume to the server (EC2 AttachVolume, an ARM VM update, a Nova attachment). */
  attach(serverId: string, volumeId: string): Promise<void>;
  /** Detaches the volume from the server. */
  detach(serverId: string, volumeId: string): Promise<void>;
  /** Deletes an unattached volume. */
  deleteVolume(volumeId: string): Promise<void>;
  /** Deletes (terminates) a server. */
  deleteServer(serverId: string): Promise<void>;
  /** Stops a running server (its power state changes, the server stays). */
  stopServer(serverId: string): Promise<void>;
  /**
   * Puts a server in the cloud's error state (Nova `os-resetState`, an ARM VM `Failed`); or, where
   * the cloud has no such state for a server, the reason, which the case is skipped with.
   */
  readonly failServer: ((serverId: string) => Promise<void>) | string;
}
