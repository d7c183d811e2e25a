import type { FaultAction, FaultRule } from './fault-rules.js';
import { SimError } from './service.js';

const ACTION_TYPES = new Set<FaultAction['type']>([
  'error',
  'throttle',
  'unavailable',
  'latency',
  'rendezvous',
  'reset',
  'revoke-token',
  'stuck',
  'error-state',
  'wire',
]);

/** Validates a fault rule received as JSON (admin API); 400 naming the bad field. */
export function parseFaultRule(raw: unknown): FaultRule {
  if (!isRecord(raw)) throw bad('rule', 'must be an object');
  const action = raw.action;
  if (
    !isRecord(action) ||
    typeof action.type !== 'string' ||
    !ACTION_TYPES.has(action.type as FaultAction['type'])
  ) {
    throw bad('action.type', `must be one of ${[...ACTION_TYPES].join(', ')}`);
  }
  if (action.type === 'error' && typeof action.status !== 'number')
    throw bad('action.status', 'must be a number');
  if (action.type === 'latency' && typeof action.ms !== 'number') throw bad('action.ms', 'must be a number');
  if (action.type === 'rendezvous') {
    if (typeof action.count !== 'number') throw bad('action.count', 'must be a number');
    if (typeof action.maxMs !== 'number') throw bad('action.maxMs', 'must be a number');
  }
  for (const key of ['id', 'method', 'path'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') throw bad(key, 'must be a string');
  }
  for (const key of ['times', 'skip', 'probability'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'number') throw bad(key, 'must be a number');
  }
  return raw as unknown as FaultRule;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(field: string, why: string): SimError {
  return new SimError(400, `invalid fault rule: ${field} ${why}`);
}
