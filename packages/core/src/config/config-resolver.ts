import { BootstrapError } from '../errors/bootstrap-error';
import { parseDuration } from './duration';

/** The kinds of value a configuration key holds. */
export type ConfigValueType = 'duration' | 'int' | 'number' | 'bool' | 'string' | 'list';

/** One configuration key, as Pitaya names it (`heartbeat.interval` ↔ `PITAYA_HEARTBEAT_INTERVAL`). */
export interface ConfigKey {
  /** Dotted path in the options object; Pitaya's key without the `pitaya.` prefix (camelCase allowed). */
  readonly key: string;
  readonly type: ConfigValueType;
  readonly default: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly oneOf?: readonly (string | number)[];
}

/** The environment variable that overrides a key: `PITAYA_` + the key upper-cased, dots as underscores. */
export function envName(key: string): string {
  return `PITAYA_${key.replace(/\./g, '_').toUpperCase()}`;
}

function readPath(source: unknown, path: readonly string[]): unknown {
  let current = source;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function writePath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (const part of path.slice(0, -1)) {
    current[part] ??= {};
    current = current[part] as Record<string, unknown>;
  }
  current[path[path.length - 1]!] = value;
}

function coerce(entry: ConfigKey, raw: unknown, fromEnv: boolean): unknown {
  switch (entry.type) {
    case 'duration': {
      const ms = parseDuration(fromEnv ? String(raw) : (raw as number | string));
      if (entry.min !== undefined && ms < entry.min) throw new Error(`${ms}ms is below the minimum ${entry.min}ms`);
      return ms;
    }
    case 'int':
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (String(raw).trim() === '' || !Number.isFinite(n)) throw new Error(`"${String(raw)}" is not a number`);
      if (entry.type === 'int' && !Number.isInteger(n)) throw new Error(`"${String(raw)}" is not an integer`);
      if (entry.min !== undefined && n < entry.min) throw new Error(`${n} is below the minimum ${entry.min}`);
      if (entry.max !== undefined && n > entry.max) throw new Error(`${n} is above the maximum ${entry.max}`);
      return n;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(text)) return true;
      if (['false', '0', 'no', 'off'].includes(text)) return false;
      throw new Error(`"${String(raw)}" is not a boolean (use true or false)`);
    }
    case 'string':
      if (typeof raw !== 'string') throw new Error(`expected a string, got ${typeof raw}`);
      return raw;
    case 'list':
      if (Array.isArray(raw)) return raw.map(String);
      if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      throw new Error('expected a list or a comma-separated string');
  }
}

/**
 * Resolves configuration: environment variable, else the value given in code, else the default.
 * The environment wins so operators can tune a built image, as with Pitaya's viper `AutomaticEnv`.
 * Any invalid value stops start-up with a message naming the key and where the value came from.
 */
export function resolveConfig<T>(keys: readonly ConfigKey[], provided: unknown, env: NodeJS.ProcessEnv = process.env): T {
  const out: Record<string, unknown> = {};
  for (const entry of keys) {
    const path = entry.key.split('.');
    const variable = envName(entry.key);
    const fromEnv = env[variable];
    const fromCode = readPath(provided, path);
    const raw = fromEnv !== undefined && fromEnv !== '' ? fromEnv : fromCode;
    let value: unknown = entry.default;
    if (raw !== undefined) {
      try {
        value = coerce(entry, raw, raw === fromEnv);
        if (entry.oneOf && !entry.oneOf.includes(value as string | number)) {
          throw new Error(`${String(value)} is not one of ${entry.oneOf.join(', ')}`);
        }
      } catch (error) {
        const origin = raw === fromEnv ? `environment variable ${variable}` : `option ${entry.key}`;
        throw new BootstrapError('INVALID_CONFIG', `Invalid configuration pitaya.${entry.key} (${origin}): ${(error as Error).message}`);
      }
    }
    writePath(out, path, value);
  }
  return out as T;
}
