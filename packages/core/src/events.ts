/**
 * Events for every request, retry, re-auth, poll and state change. A program
 * (or a test) passes an {@link EventSink} to see what the broker did. Events
 * never carry secrets: URLs lose their query strings and credentials.
 */

/** The fields every event has; exported because each event type's signature extends it. */
export interface EventBase {
  /** The platform (config name) the event belongs to. */
  readonly platform?: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
}

/** One HTTP (or SDK) request to a cloud. */
export interface RequestEvent extends EventBase {
  readonly type: 'request';
  readonly method: string;
  /**
   * Which call it was, in the cloud's own terms: the EC2 action (`AttachVolume`), the
   * Azure operation (`VirtualMachines_CreateOrUpdate`), or an OpenStack method and path
   * template (`POST /servers/{id}/os-volume_attachments`).
   */
  readonly call?: string;
  /** The URL without query string or credentials. */
  readonly url: string;
  readonly status?: number;
  readonly durationMs: number;
  readonly requestId?: string;
  /** Error code when the request failed before a response. */
  readonly error?: string;
}

/** A call about to be repeated. */
export interface RetryEvent extends EventBase {
  readonly type: 'retry';
  readonly operation: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly code: string;
}

/** The driver got a new token. */
export interface ReauthEvent extends EventBase {
  readonly type: 'reauth';
  readonly reason: 'initial' | 'expiring' | 'unauthorized';
}

/** One poll of a wait. */
export interface PollEvent extends EventBase {
  readonly type: 'poll';
  readonly waitingFor: string;
  readonly attempt: number;
  readonly state: string;
}

/** A resource was seen in a new state. */
export interface StateChangeEvent extends EventBase {
  readonly type: 'state-change';
  readonly resource: 'server' | 'volume';
  readonly id: string;
  readonly from?: string;
  readonly to: string;
}

/** A broker operation started or ended. */
export interface OperationEvent extends EventBase {
  readonly type: 'operation';
  readonly operation: string;
  readonly phase: 'start' | 'end' | 'error';
  readonly durationMs?: number;
  readonly code?: string;
}

/** Everything the broker reports. */
export type BrokerEvent =
  | RequestEvent
  | RetryEvent
  | ReauthEvent
  | PollEvent
  | StateChangeEvent
  | OperationEvent;

/** Distributes an event union member without its `time` (filled in by the emitter). */
export type BrokerEventInput = BrokerEvent extends infer E
  ? E extends BrokerEvent
    ? Omit<E, 'time'>
    : never
  : never;

/** Receives events. Must not throw; a throwing sink is ignored. */
export interface EventSink {
  emit(event: BrokerEvent): void;
}

/** Drops every event. */
export const nullEventSink: EventSink = { emit: () => {} };

/** Keeps events in memory (tests, the demo's step report). */
export class MemoryEventSink implements EventSink {
  readonly events: BrokerEvent[] = [];
  emit(event: BrokerEvent): void {
    this.events.push(event);
  }
  ofType<T extends BrokerEvent['type']>(type: T): Extract<BrokerEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<BrokerEvent, { type: T }> => e.type === type);
  }
  clear(): void {
    this.events.length = 0;
  }
}

/** Fans one event out to several sinks. */
export function teeEventSink(...sinks: EventSink[]): EventSink {
  return {
    emit(event) {
      for (const sink of sinks) {
        try {
          sink.emit(event);
        } catch {
          // a sink's failure must not break a cloud call
        }
      }
    },
  };
}
