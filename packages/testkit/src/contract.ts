import type { Server, WaitOptions } from '@hybrid-broker/core';
import { antiAffinityCases } from './cases-anti-affinity.js';
import { catalogCases } from './cases-catalog.js';
import { convergenceCases } from './cases-convergence.js';
import { forceDetachCases } from './cases-force-detach.js';
import { idempotencyCases } from './cases-idempotency.js';
import { listCases } from './cases-lists.js';
import { metadataCases } from './cases-metadata.js';
import { moveCases } from './cases-move.js';
import { moveTransitCases } from './cases-move-transit.js';
import { pagingCases } from './cases-paging.js';
import { powerCases } from './cases-power.js';
import { type ContractCase, serverCases } from './cases-servers.js';
import { snapshotCases } from './cases-snapshots.js';
import { volumeLifecycleCases } from './cases-volume-lifecycle.js';
import { volumeCases } from './cases-volumes.js';
import { watchCases } from './cases-watch.js';
import { watchOutOfBandCases } from './cases-watch-out-of-band.js';
import type { CaseContext, ContractOptions, ContractTarget, RunnerTestContext } from './target.js';

/** Every case of the contract, in the order they run. */
export const contractCases: readonly ContractCase[] = [
  ...serverCases,
  ...idempotencyCases,
  ...volumeCases,
  ...convergenceCases,
  ...listCases,
  ...pagingCases,
  ...moveCases,
  ...moveTransitCases,
  ...forceDetachCases,
  ...antiAffinityCases,
  ...volumeLifecycleCases,
  ...powerCases,
  ...catalogCases,
  ...watchCases,
  ...snapshotCases,
  ...metadataCases,
  ...watchOutOfBandCases,
];

const FAST_WAIT: WaitOptions = {
  timeoutMs: 15_000,
  initialDelayMs: 5,
  maxDelayMs: 50,
  multiplier: 1.5,
  jitter: 0.1,
};

/**
 * Declares the contract suite every PlatformDriver must pass, on the test
 * runner given in `options.runner`. A driver proves itself in a few lines:
 *
 * @example
 * import { describe, it, beforeAll, afterAll } from 'vitest';
 * describePlatformDriverContract('memory', async () => makeTarget(), { runner: { describe, it, beforeAll, afterAll } });
 */
export function describePlatformDriverContract(
  name: string,
  setup: () => Promise<ContractTarget> | ContractTarget,
  options: ContractOptions,
): void {
  const { runner } = options;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const skip = new Map(
    (options.skip ?? []).map((e) =>
      typeof e === 'string' ? [e, 'skipped by the caller (options.skip)'] : [e.name, e.reason],
    ),
  );
  runner.describe(`PlatformDriver contract: ${name}`, () => {
    let target: ContractTarget | undefined;
    let ctxBase: CaseContext | undefined;
    let shared: SharedServers | undefined;
    runner.beforeAll(async () => {
      target = await setup();
      shared = new SharedServers(target, options.wait ?? FAST_WAIT);
      ctxBase = makeContext(target, options.wait ?? FAST_WAIT, shared);
    }, timeoutMs);
    runner.afterAll(async () => {
      await shared?.deleteAll();
      await target?.cleanup?.();
    }, timeoutMs);
    for (const contractCase of contractCases) {
      const skippedBy = skip.get(contractCase.name);
      if (skippedBy !== undefined && runner.skip) {
        runner.skip(`${contractCase.name} [skipped: ${skippedBy}]`, async () => {});
        continue;
      }
      runner.it(
        contractCase.name,
        async (...context) => {
          if (!ctxBase) throw new Error('contract setup failed');
          const reason = skippedBy ?? contractCase.skipIf?.(ctxBase);
          if (reason !== undefined) return skipCase(context[0], contractCase.name, reason);
          await contractCase.run(ctxBase);
        },
        timeoutMs,
      );
    }
  });
}

/**
 * Reports a case as skipped with its reason, never as a pass: through the
 * runner's test context (vitest's `skip` throws, node:test's marks the test).
 * A runner with no runtime skip (jest) gets the reason on stderr instead.
 */
function skipCase(context: RunnerTestContext | undefined, name: string, reason: string): void {
  if (typeof context?.skip === 'function') {
    context.skip(reason);
    return;
  }
  process.stderr.write(`contract case skipped (the runner has no runtime skip): ${name}: ${reason}\n`);
}

/** Runs one case against a target outside any runner (the testkit's own tests use it to prove cases can fail). */
export async function runContractCase(
  contractCase: ContractCase,
  target: ContractTarget,
  wait: WaitOptions = FAST_WAIT,
): Promise<void> {
  const shared = new SharedServers(target, wait);
  const ctx = makeContext(target, wait, shared);
  try {
    await contractCase.run(ctx);
  } finally {
    await shared.deleteAll();
  }
}

/** The servers cases share, each created on first use and deleted after the suite. */
class SharedServers {
  readonly #target: ContractTarget;
  readonly #wait: WaitOptions;
  readonly #made = new Map<string, Promise<Server>>();

  constructor(target: ContractTarget, wait: WaitOptions) {
    this.#target = target;
    this.#wait = wait;
  }

  get(which: 'shared' | 'other' | 'power'): Promise<Server> {
    let server = this.#made.get(which);
    if (server === undefined) {
      server = createShared(this.#target, this.#wait, which);
      this.#made.set(which, server);
    }
    return server;
  }

  async deleteAll(): Promise<void> {
    for (const made of this.#made.values()) {
      const server = await made.catch(() => undefined);
      if (server)
        await this.#target.driver.deleteServer({ serverId: server.id }, { wait: this.#wait }).catch(() => {});
    }
  }
}

let counter = 0;

function makeContext(target: ContractTarget, wait: WaitOptions, shared: SharedServers): CaseContext {
  const run = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  return {
    driver: target.driver,
    fixtures: target.fixtures,
    wait,
    name: (suffix) => `contract-${run}-${suffix}`,
    sharedServer: () => shared.get('shared'),
    secondDriver: target.secondDriver,
    otherServer: () => shared.get('other'),
    powerServer: () => shared.get('power'),
  };
}

function createShared(target: ContractTarget, wait: WaitOptions, which: string): Promise<Server> {
  return target.driver.createServer(
    {
      name: `contract-${which}-${Date.now().toString(36)}`,
      image: target.fixtures.image,
      flavor: target.fixtures.flavor,
      availabilityZone: target.fixtures.availabilityZone,
      ...(target.fixtures.networks ? { networks: target.fixtures.networks } : {}),
    },
    { wait },
  );
}
