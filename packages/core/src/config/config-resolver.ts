import { BootstrapError } from '../errors/bootstrap-error';
import { z } from 'zod';
import { ConfigSource } from './config-source';
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

const NUMBER_TEXT = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;
const TRUE_TEXT = new Set(['true', '1', 'yes', 'on']);
const FALSE_TEXT = new Set(['false', '0', 'no', 'off']);

/**
 * The zod schema of one key: what a value may look like in code, in a file (YAML scalars) or in an
 * environment variable (always text), and what it becomes. Messages are written for operators.
 */
function schemaOf(entry: ConfigKey): z.ZodType<unknown> {
  const bounded = (n: number, ctx: z.RefinementCtx, unit = ''): void => {
    if (entry.min !== undefined && n < entry.min) ctx.addIssue({ code: 'custom', message: `${n}${unit} is below the minimum ${entry.min}${unit}` });
    if (entry.max !== undefined && n > entry.max) ctx.addIssue({ code: 'custom', message: `${n}${unit} is above the maximum ${entry.max}${unit}` });
  };
  const oneOf = <T extends z.ZodType<unknown>>(schema: T): z.ZodType<unknown> =>
    entry.oneOf
      ? schema.refine((v) => entry.oneOf!.includes(v as string | number), { message: `is not one of ${entry.oneOf.join(', ')}` })
      : schema;
  switch (entry.type) {
    case 'duration':
      return z.union([z.number(), z.string()], { error: 'expected a duration (milliseconds or a string like "30s")' }).transform((raw, ctx) => {
        try {
          const ms = parseDuration(raw);
          bounded(ms, ctx, 'ms');
          return ms;
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      });
    case 'int':
    case 'number':
      return oneOf(z.union([z.number(), z.string()], { error: 'expected a number' }).transform((raw, ctx) => {
        const n = typeof raw === 'number' ? raw : NUMBER_TEXT.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
        if (!Number.isFinite(n)) {
          ctx.addIssue({ code: 'custom', message: `"${String(raw)}" is not a number` });
          return z.NEVER;
        }
        if (entry.type === 'int' && !Number.isInteger(n)) ctx.addIssue({ code: 'custom', message: `"${String(raw)}" is not an integer` });
        bounded(n, ctx);
        return n;
      }));
    case 'bool':
      return z.union([z.boolean(), z.string(), z.number()], { error: 'expected true or false' }).transform((raw, ctx) => {
        if (typeof raw === 'boolean') return raw;
        const text = String(raw).trim().toLowerCase();
        if (TRUE_TEXT.has(text)) return true;
        if (FALSE_TEXT.has(text)) return false;
        ctx.addIssue({ code: 'custom', message: `"${String(raw)}" is not a boolean (use true or false)` });
        return z.NEVER;
      });
    case 'string':
      // YAML reads `pass: 1234` as a number; viper hands it over as text, and so do we.
      return oneOf(z.union([z.string(), z.number().transform(String)], { error: 'expected a string' }));
    case 'list':
      return z.union([
        z.array(z.union([z.string(), z.number()]).transform(String)),
        z.string().transform((text) => text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)),
      ], { error: 'expected a list or a comma-separated string' });
  }
}

const schemas = new WeakMap<ConfigKey, z.ZodType<unknown>>();

function parseValue(entry: ConfigKey, raw: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  let schema = schemas.get(entry);
  if (!schema) schemas.set(entry, (schema = schemaOf(entry)));
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const message = issue.message.startsWith('is not one of') ? `${String(raw)} ${issue.message}` : issue.message;
  return { ok: false, message };
}

/**
 * Resolves configuration, later sources winning: the default, the configuration file (under
 * `pitaya:`, keys case-insensitive like viper), the value given in code, then the `PITAYA_*`
 * environment variable. The environment wins so operators can tune a built image, as with Pitaya's
 * viper `AutomaticEnv`. Values are checked with zod schemas derived from each key's type; an invalid
 * value stops start-up with a message naming the key and where the value came from (variable,
 * option, or file and line).
 */
export function resolveConfig<T>(keys: readonly ConfigKey[], provided: unknown, source: ConfigSource | NodeJS.ProcessEnv = process.env): T {
  const { env, file } = source instanceof ConfigSource ? source : new ConfigSource(source);
  const from = source instanceof ConfigSource ? source : undefined;
  const out: Record<string, unknown> = {};
  for (const entry of keys) {
    const path = entry.key.split('.');
    const variable = envName(entry.key);
    const fromEnv = env[variable];
    let raw: unknown;
    let origin: string;
    if (fromEnv !== undefined && fromEnv !== '') {
      raw = fromEnv;
      origin = `environment variable ${variable}`;
    } else if ((raw = readPath(provided, path)) !== undefined) {
      origin = `option ${entry.key}`;
    } else if ((raw = from?.fromFile(['pitaya', ...path])) !== undefined) {
      origin = `file ${file!.locate(['pitaya', ...path])}`;
      // A bare number is milliseconds in code but nanoseconds to viper: in a file, ask for a unit.
      if (entry.type === 'duration' && typeof raw === 'number' && raw !== 0) raw = String(raw);
    } else {
      writePath(out, path, entry.default);
      continue;
    }
    const parsed = parseValue(entry, raw);
    if (!parsed.ok) {
      throw new BootstrapError('INVALID_CONFIG', `Invalid configuration pitaya.${entry.key} (${origin}): ${parsed.message}`);
    }
    writePath(out, path, parsed.value);
  }
  return out as T;
}
