import { readFile, rename, writeFile } from 'node:fs/promises';
import {
  type AnyDriverDefinition,
  BrokerError,
  type MemoryCloudSnapshot,
  MemoryDriver,
  memoryDriver,
  type PlatformDriver,
} from '@hybrid-broker/core';
import { defineDriver } from '@hybrid-broker/core/driver-kit';

/** One memory platform's cloud as saved between commands. */
type SavedPlatform = MemoryCloudSnapshot;

/** The state file: every memory platform's cloud by platform name. */
interface StateFile {
  readonly version: 1;
  readonly platforms: Record<string, SavedPlatform>;
}

/**
 * The `memory` driver with its cloud kept in a JSON file, so successive
 * `hybrid-broker` commands (each a new process) see one cloud: a server made
 * by `server create` can be attached to by the next command. States derive
 * from wall-clock timestamps, so a build keeps progressing between commands.
 * Meant for demos, scripts and tests run one command at a time; it replaces
 * the plain `memory` kind when `--memory-state` is given.
 */
export function memoryDriverWithStateFile(path: string): AnyDriverDefinition {
  return defineDriver({
    kind: memoryDriver.kind,
    configSchema: memoryDriver.configSchema,
    capabilities: memoryDriver.capabilities ?? {},
    async create(config, context) {
      const driver = await memoryDriver.create(config, context);
      if (!(driver instanceof MemoryDriver)) throw new Error('the memory driver did not make a MemoryDriver');
      const saved = (await readState(path)).platforms[context.platform];
      if (saved) restore(driver, saved, path, context.platform);
      return persisting(driver, () => savePlatform(path, context.platform, driver));
    },
  });
}

/** Saves after every mutating call, and once the cloud took the request, so an abort keeps what was made. */
function persisting(driver: MemoryDriver, save: () => Promise<void>): PlatformDriver {
  const saving = async <T>(start: () => Promise<T>): Promise<T> => {
    const pending = start();
    // The driver records the change before its first await; keep it even if the wait is interrupted.
    pending.catch(() => {});
    await save();
    try {
      return await pending;
    } finally {
      await save();
    }
  };
  return {
    kind: driver.kind,
    capabilities: driver.capabilities,
    createServer: (request, options) => saving(() => driver.createServer(request, options)),
    attachVolume: (request, options) => saving(() => driver.attachVolume(request, options)),
    detachVolume: (request, options) => saving(() => driver.detachVolume(request, options)),
    deleteServer: (request, options) => saving(() => driver.deleteServer(request, options)),
    createVolume: (request, options) => saving(() => driver.createVolume(request, options)),
    deleteVolume: (request, options) => saving(() => driver.deleteVolume(request, options)),
    startServer: (request, options) => saving(() => driver.startServer(request, options)),
    stopServer: (request, options) => saving(() => driver.stopServer(request, options)),
    rebootServer: (request, options) => saving(() => driver.rebootServer(request, options)),
    createSnapshot: (request, options) => saving(() => driver.createSnapshot(request, options)),
    deleteSnapshot: (request, options) => saving(() => driver.deleteSnapshot(request, options)),
    getSnapshot: (request, options) => driver.getSnapshot(request, options),
    listSnapshots: (filter, options) => driver.listSnapshots(filter, options),
    setVolumeMetadata: (request, options) => saving(() => driver.setVolumeMetadata(request, options)),
    setServerMetadata: (request, options) => saving(() => driver.setServerMetadata(request, options)),
    getServer: (request, options) => driver.getServer(request, options),
    getVolume: (request, options) => driver.getVolume(request, options),
    listServers: (filter, options) => driver.listServers(filter, options),
    listVolumes: (filter, options) => driver.listVolumes(filter, options),
    listServersPage: (filter, options) => driver.listServersPage(filter, options),
    listVolumesPage: (filter, options) => driver.listVolumesPage(filter, options),
    listImages: (filter, options) => driver.listImages(filter, options),
    listFlavors: (filter, options) => driver.listFlavors(filter, options),
  };
}

function restore(driver: MemoryDriver, saved: SavedPlatform, path: string, platform: string): void {
  if (!Array.isArray(saved.servers) || !Array.isArray(saved.volumes)) {
    throw stateError(path, `platform ${platform}: expected lists of servers and volumes`);
  }
  driver.cloud.restore(saved);
}

async function readState(path: string): Promise<StateFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, platforms: {} };
    throw stateError(path, (error as Error).message, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw stateError(path, 'not valid JSON', error);
  }
  const platforms = (parsed as Partial<StateFile> | null)?.platforms;
  if (typeof platforms !== 'object' || platforms === null)
    throw stateError(path, 'expected { platforms: {...} }');
  return { version: 1, platforms };
}

async function savePlatform(path: string, platform: string, driver: MemoryDriver): Promise<void> {
  const state = await readState(path);
  state.platforms[platform] = driver.cloud.snapshot();
  // Write then rename, so an interrupted save never leaves half a file.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  await rename(temporary, path);
}

function stateError(path: string, problem: string, cause?: unknown): BrokerError {
  return new BrokerError('invalid-request', `memory state file ${path}: ${problem}`, {
    field: 'memory-state',
    ...(cause === undefined ? {} : { cause }),
  });
}
