import { runCli } from '../../packages/cli/src/index.js';
import { capturedIo } from '../../packages/cli/test/support/captured-io.js';

/** How long a watch may take to print its stop line before the run gives up on it. */
const BOUND_MS = 10_000;

/**
 * Runs `hybrid-broker <globals> watch <platform> --poll-ms 50 <args>` in-process, bounded: it
 * sends Ctrl-C (the CLI's abort signal) once stdout has a line matching `stopAt` (`synced`, or
 * an `error` event of a watch that goes on), or after {@link BOUND_MS}; a watch that ends by
 * itself (config error, fatal auth-failed) is not waited for. Returns the exit code and both
 * streams.
 */
export async function runWatch(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string>; stopAt: RegExp },
): Promise<{ code: number; output: string; stopped: boolean }> {
  const controller = new AbortController();
  const io = capturedIo({ cwd: options.cwd, env: options.env ?? {}, signal: controller.signal });
  let ended = false;
  const exit = runCli(argv, io).finally(() => {
    ended = true;
  });
  const end = Date.now() + BOUND_MS;
  let stopped = false;
  while (!ended && Date.now() < end && !stopped) {
    stopped = io
      .out()
      .split('\n')
      .some((line) => options.stopAt.test(line));
    if (!stopped) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  controller.abort();
  const code = await exit;
  return { code, output: `${io.out()}\n${io.err()}`, stopped };
}
