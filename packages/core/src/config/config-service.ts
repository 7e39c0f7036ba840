import { injectable } from 'inversify';
import type { z } from 'zod';
import { CONFIG_SOURCE, PITAYA_CONFIG } from '../container/tokens';
import type { FactoryProvider } from '../container/types';
import { Inject } from '../decorators/inject.decorators';
import { BootstrapError } from '../errors/bootstrap-error';
import type { PitayaConfig } from './pitaya-config';
import type { ConfigSource } from './config-source';

/**
 * A typed section of the application's own configuration: the keys under `key` in the config file
 * (beside Pitaya's `pitaya:` keys), checked with a schema. Environment variables override single
 * keys the way viper does: `chat.maxLength` ↔ `CHAT_MAXLENGTH` (their values are text, so use
 * `z.coerce.number()` and the like for non-string keys).
 *
 * @example
 * ```ts
 * export const chatConfig = defineConfig('chat', z.object({ maxLength: z.coerce.number().int().default(2000) }));
 * @Module({ providers: [chatConfig.provider], handlers: [RoomHandler] })
 * class ChatModule {}
 * // in RoomHandler: constructor(@Inject(chatConfig.token) private readonly config: ConfigOf<typeof chatConfig>) {}
 * ```
 */
export interface ConfigDefinition<S extends z.ZodType = z.ZodType> {
  /** Top-level key of the section in the file. */
  readonly key: string;
  readonly schema: S;
  /** Injects the parsed section: `@Inject(chatConfig.token)`. */
  readonly token: symbol;
  /** Put it in a module's `providers` (and `exports` to share it). The section is parsed and checked at start-up. */
  readonly provider: FactoryProvider<z.output<S>>;
}

/** The parsed type of a {@link ConfigDefinition}. */
export type ConfigOf<D extends ConfigDefinition> = z.output<D['schema']>;

/** Declares a typed configuration section; see {@link ConfigDefinition}. */
export function defineConfig<S extends z.ZodType>(key: string, schema: S): ConfigDefinition<S> {
  if (!/^[A-Za-z][\w-]*$/.test(key)) throw new BootstrapError('INVALID_CONFIG', `defineConfig: "${key}" is not a valid top-level key`);
  const token = Symbol.for(`pitaya-ts:config:${key}`);
  const definition: ConfigDefinition<S> = {
    key,
    schema,
    token,
    provider: { provide: token, useFactory: (service: ConfigService) => service.get(definition), inject: [ConfigService] as never[] },
  };
  return definition;
}

/**
 * Reads configuration: Pitaya's resolved keys (`pitaya`), sections declared with
 * {@link defineConfig} (typed, validated, cached), and raw values by dotted key. Injectable in
 * every module.
 */
@injectable('Singleton')
export class ConfigService {
  private readonly sections = new Map<string, unknown>();

  constructor(
    @Inject(CONFIG_SOURCE) private readonly source: ConfigSource,
    /** Pitaya's own keys, resolved (defaults ← file ← code ← `PITAYA_*`). */
    @Inject(PITAYA_CONFIG) readonly pitaya: PitayaConfig,
  ) {}

  /** The config file, if one was given. */
  get file(): string | undefined {
    return this.source.file?.path;
  }

  /**
   * A raw value by dotted key (`chat.maxLength`): the environment variable (`CHAT_MAXLENGTH`), else
   * the file; `undefined` when neither has it. Prefer {@link get} with a schema.
   */
  value(key: string): unknown {
    const env = this.source.env[envVariable(key.split('.'))];
    return env !== undefined && env !== '' ? env : this.source.fromFile(key.split('.'));
  }

  /** The section, parsed with its schema; a value the schema refuses stops start-up naming the key and its origin. */
  get<S extends z.ZodType>(definition: ConfigDefinition<S>): z.output<S> {
    if (this.sections.has(definition.key)) return this.sections.get(definition.key) as z.output<S>;
    const input = this.withEnv(definition.key, definition.schema, this.source.fromFile([definition.key]));
    // An absent section still gets its defaults.
    const result = definition.schema.safeParse(input.value ?? (objectShape(definition.schema) ? {} : undefined));
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const path = [definition.key, ...issue.path.map(String)];
      const variable = envVariable(path);
      const origin = input.fromEnv.has(variable)
        ? `environment variable ${variable}`
        : this.source.file
          ? `file ${this.source.file.locate(path)}`
          : 'no config file';
      throw new BootstrapError('INVALID_CONFIG', `Invalid configuration ${path.join('.')} (${origin}): ${issue.message}`);
    }
    this.sections.set(definition.key, result.data);
    return result.data;
  }

  /** Overlays environment variables on the file's section, for every key the schema's objects name. */
  private withEnv(key: string, schema: z.ZodType, fileValue: unknown): { value: unknown; fromEnv: Set<string> } {
    const fromEnv = new Set<string>();
    const visit = (node: z.ZodType, path: string[], current: unknown): unknown => {
      const shape = objectShape(node);
      if (!shape) {
        const variable = envVariable(path);
        const env = this.source.env[variable];
        if (env === undefined || env === '') return current;
        fromEnv.add(variable);
        return env;
      }
      const base = current !== null && typeof current === 'object' && !Array.isArray(current) ? { ...(current as Record<string, unknown>) } : undefined;
      const out: Record<string, unknown> = base ?? {};
      let touched = base !== undefined;
      for (const [name, child] of Object.entries(shape)) {
        const existing = base ? caseInsensitive(base, name) : undefined;
        const next = visit(child, [...path, name], existing?.value);
        if (next !== undefined) {
          if (existing && existing.key !== name) delete out[existing.key];
          out[name] = next;
          touched = true;
        }
      }
      return touched ? out : current;
    };
    return { value: visit(schema, [key], fileValue), fromEnv };
  }
}

function envVariable(path: readonly string[]): string {
  return path.join('_').toUpperCase();
}

function caseInsensitive(record: Record<string, unknown>, name: string): { key: string; value: unknown } | undefined {
  if (Object.prototype.hasOwnProperty.call(record, name)) return { key: name, value: record[name] };
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : { key, value: record[key] };
}

/** The shape of a zod object schema, seeing through optional/default/nullable wrappers; `undefined` for leaves. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current; depth++) {
    const def = (current as { _zod?: { def?: { type?: string; shape?: Record<string, z.ZodType>; innerType?: unknown } } })._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') return def.shape;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') current = def.innerType;
    else return undefined;
  }
  return undefined;
}
