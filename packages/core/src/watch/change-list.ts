/**
 * What a driver's changes list answers (`listVolumeChanges`, `listServerChanges`): the
 * resources changed since a point of the cloud's own clock, or the whole set.
 */
export interface ChangeList<T> {
  /**
   * True when `items` is the whole set: asked without `since` (the first list, a resync), or
   * the cloud could not list changes (then a resource missing from `items` is gone). False:
   * `items` holds only what changed, and a resource missing from it is unchanged.
   */
  readonly complete: boolean;
  /** The resources listed, each as it is now. */
  readonly items: readonly T[];
  /** Ids the cloud says are gone (Nova's `DELETED` servers, volumes read back as 404). */
  readonly deleted: readonly string[];
  /**
   * Where the next changes list starts (opaque: the cloud's clock at this answer less a safety
   * overlap, and what the driver must check again). Undefined: the next list must be full.
   */
  readonly next: string | undefined;
}
