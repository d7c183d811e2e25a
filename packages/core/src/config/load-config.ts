import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { BrokerError } from '../errors.js';
import { syntaxErrorSummary } from '../secret-hygiene.js';

/**
 * Reads a broker config from a YAML or JSON file. `${NAME}` in any string is
 * replaced by the environment variable NAME (so secrets can stay out of the
 * file); a missing variable is an error naming it and the field.
 */
export async function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BrokerError('invalid-request', `cannot read config file ${path}: ${(error as Error).message}`, {
      cause: error,
      field: 'config',
    });
  }
  let parsed: unknown;
  try {
    // yaml loads only when a YAML file is read: it is a sixth of core's import time.
    parsed = extname(path) === '.json' ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (error) {
    // Where, never what: both parsers quote the offending line, which may hold a password. No cause either.
    throw new BrokerError(
      'invalid-request',
      `config file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${syntaxErrorSummary(error)}`,
      { field: 'config' },
    );
  }
  return interpolateEnv(parsed, env, '');
}

/** Replaces `${NAME}` in every string of `value` by `env.NAME`. */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, path: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) {
        throw new BrokerError(
          'invalid-request',
          `${path || '(root)'}: environment variable ${name} is not set`,
          {
            field: path,
          },
        );
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, path ? `${path}.${k}` : k)]),
    );
  }
  return value;
}
