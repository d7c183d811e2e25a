/**
 * A case that cannot run is reported by the runner as skipped with its
 * reason, never as a pass: through the test context's `skip` (vitest,
 * node:test), or declared with the runner's `skip` for cases skipped by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ContractRunner, describePlatformDriverContract, memoryContractTarget } from '../src/index.js';

interface Declared {
  name: string;
  body: (...context: { skip?(reason: string): void }[]) => Promise<void>;
  skipped: boolean;
}

/** A runner that records what the suite declares, to run the bodies by hand. */
function recordingRunner() {
  const declared: Declared[] = [];
  const hooks: { before: (() => Promise<void>)[]; after: (() => Promise<void>)[] } = {
    before: [],
    after: [],
  };
  const runner: ContractRunner = {
    describe: (_name, body) => body(),
    it: (name, body) => declared.push({ name, body, skipped: false }),
    skip: (name, body) => declared.push({ name, body, skipped: true }),
    beforeAll: (body) => hooks.before.push(body),
    afterAll: (body) => hooks.after.push(body),
  };
  return { runner, declared, hooks };
}

describe('contract skips', () => {
  it('a skipIf case calls the context skip with its reason and runs nothing', async () => {
    const { runner, declared, hooks } = recordingRunner();
    describePlatformDriverContract(
      'no fixtures',
      () => {
        const target = memoryContractTarget();
        const { setVolumeStatus: _s, failNextBuild: _f, ...fixtures } = target.fixtures;
        return { ...target, fixtures };
      },
      { runner },
    );
    for (const hook of hooks.before) await hook();
    const reasons = new Map<string, string>();
    for (const d of declared) {
      await d.body({ skip: (reason) => reasons.set(d.name, reason) });
    }
    for (const hook of hooks.after) await hook();
    expect(reasons.get('a server whose build ends in error ends the wait at once with provider-error')).toBe(
      'fixture failNextBuild not provided',
    );
    expect([...reasons.values()].filter((r) => r === 'fixture setVolumeStatus not provided')).toHaveLength(5);
    // memory spans no regions: the per-region catalog case is skipped with that reason
    expect(reasons.get('images and flavors are listed per region, each tagged with its region')).toBe(
      'capability regions not declared',
    );
    // the memory cloud cannot fail a built server: the out-of-band error case says so
    expect(reasons.get('watch sees a server that goes to error out of band as a status change')).toMatch(
      /memory cloud fails a server only at its build/,
    );
    expect(reasons.size).toBe(8);
  });

  it('a case skipped by name is declared with runner.skip and its reason', () => {
    const { runner, declared } = recordingRunner();
    describePlatformDriverContract('by name', () => memoryContractTarget(), {
      runner,
      skip: [{ name: 'getVolume of a missing volume is not-found', reason: 'the cloud answers 200' }],
    });
    const skipped = declared.filter((d) => d.skipped).map((d) => d.name);
    expect(skipped).toEqual(['getVolume of a missing volume is not-found [skipped: the cloud answers 200]']);
  });

  it('the body is declared with length 0, so jest does not take it for a done-callback test', () => {
    const { runner, declared } = recordingRunner();
    describePlatformDriverContract('jest', () => memoryContractTarget(), { runner });
    expect(declared.every((d) => d.body.length === 0)).toBe(true);
  });
});

// The same through vitest itself: these four show up as skipped, with their reasons, in the report.
describePlatformDriverContract(
  'memory without fault fixtures (four cases reported skipped)',
  () => {
    const target = memoryContractTarget();
    const { setVolumeStatus: _s, failNextBuild: _f, ...fixtures } = target.fixtures;
    return { ...target, fixtures };
  },
  { runner: { describe, it, beforeAll, afterAll } },
);
