/**
 * The requests of the metadata operations (`setVolumeMetadata`, `setServerMetadata`).
 * Kept beside types.ts so each part of the lifecycle has its own file.
 */

/** The change to one resource's metadata (tags): pairs to set, keys to remove. */
export interface MetadataChange {
  /** Pairs to add or overwrite; the others stay (a merge, never a replace). */
  readonly set?: Readonly<Record<string, string>>;
  /** Keys to remove; a key that is not there is no error. */
  readonly remove?: readonly string[];
}

/** Change a volume's metadata (`setVolumeMetadata`). At least one of `set`, `remove` is non-empty. */
export interface SetVolumeMetadataRequest extends MetadataChange {
  readonly volumeId: string;
}

/** Change a server's metadata (`setServerMetadata`). At least one of `set`, `remove` is non-empty. */
export interface SetServerMetadataRequest extends MetadataChange {
  readonly serverId: string;
}

/** The metadata operations, for events and capability refusals. */
export type MetadataOperation = 'setVolumeMetadata' | 'setServerMetadata';
