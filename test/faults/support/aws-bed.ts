import { type Ec2Sim, startEc2Sim } from '../../../packages/cloud-sim/src/ec2/index.js';
import type { FaultAction } from '../../../packages/cloud-sim/src/index.js';
import { type BrokerServices, createDriver, type PlatformDriver } from '../../../packages/core/src/index.js';
import { awsDriver } from '../../../packages/driver-aws/src/index.js';
import type { FaultBed, FaultKind, Operation } from './fault-kinds.js';
import { WAIT } from './fault-runner.js';
import { clearInterceptors, HTML_502, interceptOnce, loopbackOnly } from './nock-faults.js';
import { BED_MAX_RESPONSE_BYTES, EC2_WORDING, isWireFault, wireFault } from './wire-faults.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** The EC2 action each operation sends first. */
const PRIMARY: Record<Operation, string> = {
  createServer: 'RunInstances',
  getServer: 'DescribeInstances',
  getVolume: 'DescribeVolumes',
  attachVolume: 'AttachVolume',
  detachVolume: 'DetachVolume',
  deleteServer: 'TerminateInstances',
};

const RULES: Partial<Record<FaultKind, FaultAction>> = {
  '500': { type: 'error', status: 500 },
  '503': { type: 'unavailable' },
  '429': { type: 'throttle', status: 429 },
  reset: { type: 'reset' },
};

/** The zone every resource of the bed lives in. */
export const EC2_ZONE = 'us-east-1a';
/** The AMI the emulation accepts. */
export const EC2_IMAGE = 'ami-0abcdef1234567890';

/** Options of the EC2 bed. */
export interface AwsBedOptions {
  readonly config?: Record<string, unknown>;
  /** Services to swap (an event sink, a logger). */
  readonly services?: Partial<BrokerServices>;
}

/**
 * Starts cloud-sim's EC2 emulation and an aws driver on it. Its clock can be
 * frozen: every transition then stays where it is (a launch pending, a
 * terminate shutting-down), which is how an instance gets stuck on EC2.
 */
export async function openAwsBed(options: AwsBedOptions = {}): Promise<FaultBed & { sim: Ec2Sim }> {
  loopbackOnly();
  let frozenAt: number | undefined;
  const sim = await startEc2Sim({
    timings: { launchMs: 5, terminateMs: 5, attachMs: 5, detachMs: 5 },
    now: () => frozenAt ?? Date.now(),
    seed: 3,
  });
  const driver: PlatformDriver = createDriver(
    awsDriver,
    {
      region: 'us-east-1',
      endpoint: sim.url,
      credentials: { accessKeyId: 'AKIDFAULTS', secretAccessKey: 'faults-secret-key' },
      maxAttempts: 3,
      retryBaseDelayMs: 0,
      maxResponseBytes: BED_MAX_RESPONSE_BYTES,
      ...options.config,
    },
    { services: options.services ?? {} },
  );
  const launch = async (name: string) =>
    driver.createServer(
      { name, image: EC2_IMAGE, flavor: 't3.micro', availabilityZone: EC2_ZONE },
      { wait: false },
    );
  return {
    sim,
    driver,
    async prepare(op) {
      const server = await driver.createServer(
        { name: 'fault-fixture', image: EC2_IMAGE, flavor: 't3.micro', availabilityZone: EC2_ZONE },
        { wait: { ...WAIT, timeoutMs: 5_000 } },
      );
      const prepared = { serverId: server.id, volumeId: sim.cloud.createVolume(EC2_ZONE, 1).record.id };
      if (op === 'detachVolume') await driver.attachVolume(prepared, { wait: { ...WAIT, timeoutMs: 5_000 } });
      return prepared;
    },
    async inject(fault, op, prepared) {
      const action = PRIMARY[op];
      const rule = isWireFault(fault) ? wireFault(fault, EC2_WORDING) : RULES[fault];
      if (rule) sim.faults.add({ path: `/${action}`, times: 1, action: rule });
      else if (fault === 'latency')
        sim.faults.add({ path: `/${action}`, action: { type: 'latency', ms: 800 } });
      else if (fault === 'malformed' || fault === 'html') {
        interceptOnce(
          sim.url,
          'POST',
          /^\/$/,
          fault === 'html'
            ? { status: 502, body: HTML_502, contentType: 'text/html' }
            : {
                status: 200,
                body: `<?xml version="1.0"?><${action}Response><requestId>x</requestId><item><`,
                contentType: 'text/xml',
              },
          (body) => body.Action === action,
        );
      } else if (fault === 'stuck') {
        if (op === 'getVolume') {
          frozenAt = Date.now();
          await driver.attachVolume(prepared, { wait: false });
        } else if (op === 'getServer') {
          frozenAt = Date.now();
          return { ...prepared, serverId: (await launch('fault-stuck-read')).id };
        } else if (op === 'attachVolume' || op === 'detachVolume') {
          sim.faults.add({ path: `/${action}`, times: 1, action: { type: 'stuck' } });
        } else frozenAt = Date.now();
      } else if (fault === 'error-state') {
        if (op === 'getVolume') sim.cloud.forceVolume(prepared.volumeId, 'error');
        else if (op === 'getServer') {
          sim.cloud.failNextLaunch();
          const failed = await launch('fault-error-read');
          // EC2 states follow the clock: past launch + terminate time the failed instance is gone.
          await new Promise((resolve) => setTimeout(resolve, 30));
          return { ...prepared, serverId: failed.id };
        } else if (op === 'createServer') sim.cloud.failNextLaunch();
        else sim.faults.add({ path: `/${action}`, times: 1, action: { type: 'error-state' } });
      }
      return undefined;
    },
    serversNamed(name) {
      return [...sim.cloud.instances.values()].filter(
        (i) => i.tags.get('Name') === name && i.terminateAt === undefined,
      ).length;
    },
    clear() {
      frozenAt = undefined;
      sim.faults.clear();
      clearInterceptors();
    },
    async stop() {
      clearInterceptors();
      await driver.close?.();
      await sim.stop();
    },
  };
}
