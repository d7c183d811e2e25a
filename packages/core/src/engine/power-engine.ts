import type { ResolvedCallOptions } from '../call-options.js';
import { BrokerError, isBrokerError } from '../errors.js';
import type { PowerOperation } from '../power-types.js';
import type { Server } from '../types.js';
import { verdict, type WaitVerdict } from '../waiter.js';

/**
 * What a driver supplies for {@link runPower}: its read, its send and its wait, each
 * keeping the driver's own shared reads and pacing. The engine decides; a primitive never loops.
 */
export interface PowerPrimitives {
  /** Reads the server (a `not-found` when there is none). */
  read(): Promise<Server>;
  /**
   * The task the cloud is busy with on the server, beyond what `powerState` shows (Nova's
   * `task_state`, e.g. `image_snapshot`), or undefined. Without it, none.
   */
  busy?(server: Server): string | undefined;
  /** Asks the cloud for the change. */
  send(server: Server): Promise<void>;
  /** Whether an error of the send is the cloud refusing because the server is busy or changed meanwhile (Nova's 409). */
  isBusy(error: unknown): boolean;
  /**
   * Polls the server until `check` says done, bounded by the call's wait (its timeout is a
   * `timeout` carrying the last server read). `justSent`: the wait follows our own send.
   */
  wait(description: string, check: (server: Server) => WaitVerdict, justSent: boolean): Promise<Server>;
}

/** What a power call does on the server as read now. */
export type PowerPlan = 'done' | 'send' | 'join' | 'settle';

/** The power state each operation ends in. */
const TARGET: Readonly<Record<PowerOperation, 'running' | 'stopped'>> = {
  startServer: 'running',
  stopServer: 'stopped',
  rebootServer: 'running',
};

/** The transition of another caller that a call joins instead of sending its own. */
const JOINS: Readonly<Record<PowerOperation, string | undefined>> = {
  startServer: 'starting',
  stopServer: 'stopping',
  rebootServer: undefined,
};

/**
 * Decides a power call on a read: `done` (the state already holds, nothing to send),
 * `join` (the same change is under way: wait for it), `settle` (another task or change
 * is under way: wait it out, then decide again), or `send`. A deleted or failed server,
 * a reboot of a stopped one, and a power state no call can change are `invalid-state`.
 */
export function planPower(operation: PowerOperation, server: Server, task: string | undefined): PowerPlan {
  const power = server.powerState ?? 'unknown';
  if (server.status === 'deleting' || server.status === 'deleted' || server.status === 'error') {
    throw refused(server, `is ${server.providerStatus}`);
  }
  if (power === JOINS[operation]) return 'join';
  if (task !== undefined || server.status === 'building') return 'settle';
  if (power === 'starting' || power === 'stopping' || power === 'rebooting') return 'settle';
  if (operation === 'rebootServer') {
    if (power === 'running') return 'send';
    throw refused(server, `is ${power}; only a running server is rebooted (start it instead)`);
  }
  if (power === TARGET[operation]) return 'done';
  if (power === 'unknown') throw refused(server, `is in power state ${server.providerPowerState ?? power}`);
  return 'send';
}

/** True once the change of `operation` holds on a read: the target power state, no task left. */
export function powerHeld(
  operation: PowerOperation,
  busy: (server: Server) => string | undefined = () => undefined,
): (server: Server) => WaitVerdict {
  return (server) => {
    if (server.status === 'error') return verdict.failed(server.fault ?? `server ${server.id} went to ERROR`);
    if (server.status === 'deleting' || server.status === 'deleted')
      return verdict.failed(`server ${server.id} was deleted`);
    return server.powerState === TARGET[operation] && busy(server) === undefined
      ? verdict.done
      : verdict.pending;
  };
}

/** True once no change or task is under way on the server. */
function settled(busy: (server: Server) => string | undefined): (server: Server) => WaitVerdict {
  return (server) => {
    const power = server.powerState ?? 'unknown';
    if (server.status === 'building' || busy(server) !== undefined) return verdict.pending;
    return power === 'starting' || power === 'stopping' || power === 'rebooting'
      ? verdict.pending
      : verdict.done;
  };
}

/** How many times a power call decides again after waiting the server out. */
const MAX_ROUNDS = 5;

/**
 * The one power loop: read, decide, send, and on a busy refusal (a race with another caller
 * or task) wait the server out and decide again; then wait until the change holds (with
 * `wait: false`, answer the server as read after the send). A server still busy when the
 * deadline comes is `invalid-state` with the last read in `lastState`; with `wait: false`
 * a busy server is that at once. A state that already holds sends nothing.
 */
export async function runPower(
  operation: PowerOperation,
  p: PowerPrimitives,
  call: ResolvedCallOptions,
): Promise<Server> {
  const busy = (server: Server): string | undefined => p.busy?.(server);
  let server = await p.read();
  for (let round = 0; ; round++) {
    const plan = planPower(operation, server, busy(server));
    if (plan === 'done') return server;
    if (plan === 'join') return call.wait === false ? server : held(operation, p, server.id, false);
    if (plan === 'send') {
      try {
        await p.send(server);
        return call.wait === false ? await p.read() : await held(operation, p, server.id, true);
      } catch (error) {
        if (!p.isBusy(error)) throw error;
      }
    }
    if (call.wait === false || round >= MAX_ROUNDS) throw stillBusy(operation, await p.read());
    server = await settle(operation, p, server.id);
  }
}

const HELD: Readonly<Record<PowerOperation, string>> = {
  startServer: 'to be running',
  stopServer: 'to be stopped',
  rebootServer: 'to finish rebooting',
};

/** The wait until the change holds. */
function held(operation: PowerOperation, p: PowerPrimitives, id: string, justSent: boolean): Promise<Server> {
  const busy = (server: Server): string | undefined => p.busy?.(server);
  return p.wait(`server ${id} ${HELD[operation]}`, powerHeld(operation, busy), justSent);
}

/** Waits the server out; a wait that times out while it is still busy is `invalid-state`. */
async function settle(operation: PowerOperation, p: PowerPrimitives, id: string): Promise<Server> {
  const busy = (server: Server): string | undefined => p.busy?.(server);
  try {
    return await p.wait(`server ${id} to finish its task`, settled(busy), false);
  } catch (error) {
    if (!isBrokerError(error, 'timeout') || !isServer(error.lastState)) throw error;
    throw stillBusy(operation, error.lastState);
  }
}

function stillBusy(operation: PowerOperation, server: Server): BrokerError {
  const state = server.providerPowerState ?? server.providerStatus;
  return new BrokerError(
    'invalid-state',
    `server ${server.id} is still busy (${state}); ${operation} sent nothing`,
    { lastState: server, statusCode: 409 },
  );
}

function refused(server: Server, why: string): BrokerError {
  return new BrokerError('invalid-state', `server ${server.id} ${why}`, {
    lastState: server,
    statusCode: 409,
  });
}

function isServer(value: unknown): value is Server {
  return typeof value === 'object' && value !== null && 'providerStatus' in value && 'addresses' in value;
}
