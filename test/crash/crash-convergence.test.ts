/**
 * Crash tests: a broker call runs in a child process that is SIGKILLed once
 * the cloud has received its request (cloud-sim's counters say when); the
 * parent, as the replica that takes over, repeats the call and must converge:
 * the same single server, the same attachment, the detach and delete finished.
 * The child runs the built packages, so `tsc -b` must have run (`pnpm test` does).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_BEDS, type CrashBed, type CrashOperation } from './crash-beds.js';

const CHILD = fileURLToPath(new URL('./crash-child.mjs', import.meta.url));
const WAIT = { initialDelayMs: 5, maxDelayMs: 20, jitter: 0, timeoutMs: 10_000 };
const children = new Set<ChildProcess>();

/** Starts `operation` in a child and kills it (SIGKILL) as soon as the cloud received the request. */
async function killedMidCall(
  bed: CrashBed,
  operation: CrashOperation,
  request: object,
  options: object = {},
) {
  const before = bed.received(operation);
  const child = spawn(
    process.execPath,
    [
      CHILD,
      bed.kind,
      JSON.stringify(bed.config),
      operation,
      JSON.stringify(request),
      JSON.stringify(options),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  // generous: the child first loads its SDK, which takes seconds on a loaded machine
  const until = Date.now() + 45_000;
  while (bed.received(operation) === before) {
    if (done) throw new Error(`the child ended before the cloud saw ${operation}: ${output}`);
    if (Date.now() > until) throw new Error(`the cloud never saw ${operation}: ${output}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  expect(done, `the child was still inside ${operation} when killed`).toBe(false);
  child.kill('SIGKILL');
  await exited;
  children.delete(child);
  expect(output).not.toContain('finished');
}

for (const [name, start] of Object.entries(CRASH_BEDS)) {
  describe(`${name}: a call killed mid-way and repeated by another process converges`, () => {
    let bed: CrashBed;
    beforeAll(async () => {
      bed = await start();
    });
    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      await bed?.driver.close?.();
      await bed?.stop();
    });

    it('create, attach, detach and delete, each killed after the cloud took it', async () => {
      const key = `crash-${name}-${Date.now().toString(36)}`;
      const request = { name: key, ...bed.create };
      await killedMidCall(bed, 'createServer', request, { idempotencyKey: key });
      const server = await bed.driver.createServer(request, { idempotencyKey: key, wait: WAIT });
      expect(server.status).toBe('running');
      expect(bed.serversNamed(key), 'one server, not two').toBe(1);

      const volumeId = bed.newVolume();
      const pair = { serverId: server.id, volumeId };
      await killedMidCall(bed, 'attachVolume', pair);
      const attachment = await bed.driver.attachVolume(pair, { wait: WAIT });
      expect(attachment).toMatchObject({ state: 'attached', alreadyAttached: true });
      const attached = await bed.driver.getVolume({ volumeId });
      expect(attached.attachments.map((a) => a.serverId)).toEqual([server.id]);

      await killedMidCall(bed, 'detachVolume', pair);
      const detached = await bed.driver.detachVolume(pair, { wait: WAIT });
      expect(detached.detached).toBe(true);
      expect((await bed.driver.getVolume({ volumeId })).status).toBe('available');

      await killedMidCall(bed, 'deleteServer', { serverId: server.id });
      await bed.driver.deleteServer({ serverId: server.id }, { wait: WAIT });
      expect(bed.serversNamed(key), 'the server is gone').toBe(0);
    }, 240_000);
  });
}
