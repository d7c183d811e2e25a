import { BrokerError, type MemoryDriver } from '@hybrid-broker/core';
import { describe, expect, it } from 'vitest';
import { type ContractCase, contractCases, memoryContractTarget, runContractCase } from '../src/index.js';

function caseNamed(fragment: string): ContractCase {
  const found = contractCases.find((c) => c.name.includes(fragment));
  if (!found) throw new Error(`no case matching ${fragment}`);
  return found;
}

/** Each mutation breaks one promised behaviour; the named case must then fail. */
const mutations: { breaks: string; caseName: string; mutate: (d: MemoryDriver) => void }[] = [
  {
    breaks: 'attach returns before the volume is in-use',
    caseName: 'attachVolume waits until the volume is in-use',
    mutate: (d) => {
      const original = d.attachVolume.bind(d);
      d.attachVolume = (r, o) => original(r, { ...o, wait: false });
    },
  },
  {
    breaks: 'a second detach throws instead of being a no-op',
    caseName: 'a second detach of the same volume',
    mutate: (d) => {
      const original = d.detachVolume.bind(d);
      d.detachVolume = async (r, o) => {
        const result = await original(r, o);
        if (!result.detached) throw new BrokerError('invalid-state', 'volume is not attached');
        return result;
      };
    },
  },
  {
    breaks: 'the AZ check is missing (the cloud attaches across zones)',
    caseName: 'attaching across availability zones',
    mutate: (d) => {
      const original = d.attachVolume.bind(d);
      d.attachVolume = async (r, o) => {
        const state = d.cloud.snapshot();
        const server = state.servers.find((s) => s.id === r.serverId);
        const volumes = state.volumes.map((v) =>
          v.id === r.volumeId && server ? { ...v, availabilityZone: server.availabilityZone } : v,
        );
        d.cloud.restore({ ...state, volumes });
        return original(r, o);
      };
    },
  },
  {
    breaks: 'the idempotency key is ignored',
    caseName: 'same idempotency key twice',
    mutate: (d) => {
      const original = d.createServer.bind(d);
      d.createServer = (r, o) => original(r, { ...o, idempotencyKey: undefined });
    },
  },
  {
    breaks: 'an error status is waited out instead of ending the wait',
    caseName: 'build ends in error',
    mutate: (d) => {
      const original = d.createServer.bind(d);
      d.createServer = async (r, o) => {
        try {
          return await original(r, o);
        } catch {
          return original(r, { ...o, wait: { timeoutMs: 10 } });
        }
      };
    },
  },
  {
    breaks: 'delete of a missing server throws not-found',
    caseName: 'deleteServer waits until the server is gone',
    mutate: (d) => {
      const original = d.deleteServer.bind(d);
      d.deleteServer = async (r, o) => {
        const result = await original(r, o);
        if (!result.deleted) throw new BrokerError('not-found', 'no such server');
        return result;
      };
    },
  },
  {
    breaks: 'a repeated attach is refused instead of returning the attachment',
    caseName: 'already attached to that server returns the attachment',
    mutate: (d) => {
      const original = d.attachVolume.bind(d);
      d.attachVolume = async (r, o) => {
        const record = d.cloud.snapshot().volumes.find((v) => v.id === r.volumeId);
        if (record?.attachments.some((a) => a.serverId === r.serverId))
          throw new BrokerError('conflict', 'volume is already attached');
        return original(r, o);
      };
    },
  },
  {
    breaks: 'an attach under way (sent by another process) is refused instead of waited for',
    caseName: 'repeating an attach and a detach sent with wait: false',
    mutate: (d) => {
      const original = d.attachVolume.bind(d);
      d.attachVolume = async (r, o) => {
        const volume = await d.getVolume(r);
        if (volume.status === 'attaching') throw new BrokerError('invalid-state', 'volume is attaching');
        return original(r, o);
      };
    },
  },
  {
    breaks: 'the holder check is not atomic (a race attaches one volume to two servers)',
    caseName: 'one volume to two servers at once',
    mutate: (d) => {
      const original = d.attachVolume.bind(d);
      d.attachVolume = async (r, o) => {
        const state = d.cloud.snapshot();
        const volumes = state.volumes.map((v) => (v.id === r.volumeId ? { ...v, multiAttach: true } : v));
        d.cloud.restore({ ...state, volumes });
        return original(r, o);
      };
    },
  },
  {
    breaks: 'a detach arriving during an attach returns detached: false and leaves it attached',
    caseName: 'a detach arriving while an attach to that server is in flight',
    mutate: (d) => {
      const original = d.detachVolume.bind(d);
      d.detachVolume = async (r, o) => {
        const volume = await d.getVolume(r);
        if (volume.status === 'attaching') return { volume, detached: false };
        return original(r, o);
      };
    },
  },
  {
    breaks: 'a placement failure leaves an ERROR server behind (a repeat returns it)',
    caseName: 'a group past the cloud capacity ends in placement-failed',
    mutate: (d) => {
      const original = d.createServer.bind(d);
      d.createServer = async (r, o) => {
        try {
          return await original(r, o);
        } catch (error) {
          if (r.antiAffinityGroup !== undefined) {
            d.failNextBuild('No valid host was found');
            await original(
              { ...r, antiAffinityGroup: `${r.antiAffinityGroup}-spill` },
              { ...o, wait: false },
            );
          }
          throw error;
        }
      };
    },
  },
];

describe('the contract suite fails against a broken driver', () => {
  for (const m of mutations) {
    it(`when ${m.breaks}`, async () => {
      const contractCase = caseNamed(m.caseName);
      await expect(runContractCase(contractCase, memoryContractTarget({}, m.mutate))).rejects.toThrow();
    });
    it(`but passes the same case unmutated (${m.caseName})`, async () => {
      await runContractCase(caseNamed(m.caseName), memoryContractTarget());
    });
  }
});

describe('the anti-affinity pair case fails when the group is ignored', () => {
  it('on one host, a driver that drops the group places the pair together and the case notices', async () => {
    const dropGroup = (d: MemoryDriver) => {
      const original = d.createServer.bind(d);
      d.createServer = (r, o) => {
        const { antiAffinityGroup: _group, ...plain } = r;
        return original(plain, o);
      };
    };
    const pair = caseNamed('servers created with one antiAffinityGroup land on different hosts');
    await expect(runContractCase(pair, memoryContractTarget({ hosts: 1 }, dropGroup))).rejects.toThrow(
      /shares no host/,
    );
  });
});
