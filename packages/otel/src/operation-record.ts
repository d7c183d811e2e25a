import { type Context, createContextKey, type Span } from '@opentelemetry/api';

/** What the event sink needs to know of the operation an event belongs to. */
export interface OperationRecord {
  readonly span: Span;
  readonly operation: string;
  readonly platform: string;
  readonly provider: string | undefined;
  /** Milliseconds spent in requests so far, to tell waiting apart. */
  requestMs: number;
}

const KEY = createContextKey('hybrid-broker operation');

/** `context` with `record` as its current broker operation. */
export function withOperation(context: Context, record: OperationRecord): Context {
  return context.setValue(KEY, record);
}

/** The broker operation `context` runs inside, if any (SDK spans between keep it). */
export function operationOf(context: Context): OperationRecord | undefined {
  return context.getValue(KEY) as OperationRecord | undefined;
}
