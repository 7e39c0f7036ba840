import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node } from 'yaml';
import { BootstrapError } from '../errors/bootstrap-error';

/** A configuration file as read: its path and its contents. */
export interface ConfigFile {
  /** As given (relative paths stay relative, so messages match what the operator typed). */
  readonly path: string;
  /** The parsed document (an object). */
  readonly data: Readonly<Record<string, unknown>>;
  /** `file:line` of the value at a key path, when the file is YAML. */
  locate(keyPath: readonly string[]): string;
}

/**
 * Where configuration comes from besides code: an optional Pitaya-shaped file (viper's
 * `config.yaml`: Pitaya's keys under `pitaya:`, the application's own keys beside it) and the
 * environment (`PITAYA_*`). Bound to `CONFIG_SOURCE` so modules resolve their keys the same way.
 */
export class ConfigSource {
  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    readonly file?: ConfigFile,
  ) {}

  /**
   * The value at `keyPath` in the file, matching keys case-insensitively like viper
   * (`syncservers` finds `syncServers`). `undefined` when absent or when no file was given.
   */
  fromFile(keyPath: readonly string[]): unknown {
    let current: unknown = this.file?.data;
    for (const part of keyPath) {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
      const record = current as Record<string, unknown>;
      if (Object.prototype.hasOwnProperty.call(record, part)) {
        current = record[part];
        continue;
      }
      const lower = part.toLowerCase();
      const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
      if (key === undefined) return undefined;
      current = record[key];
    }
    return current;
  }
}

/**
 * Reads and parses a YAML or JSON configuration file (by extension; YAML otherwise). A missing or
 * malformed file stops start-up with a message naming the file.
 */
export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BootstrapError('INVALID_CONFIG', `Cannot read the configuration file ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (path.extname(file).toLowerCase() === '.json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new BootstrapError('INVALID_CONFIG', `The configuration file ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    return { path: file, data: asObject(data, file), locate: () => file };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new BootstrapError('INVALID_CONFIG', `The configuration file ${file} is not valid YAML: ${doc.errors[0]!.message}`);
  }
  const data = asObject(doc.toJS({ maxAliasCount: 100 }) ?? {}, file);
  return {
    path: file,
    data,
    locate: (keyPath) => {
      const node = findNode(doc.contents, keyPath);
      const offset = node?.range?.[0];
      return offset === undefined ? file : `${file}:${lines.linePos(offset).line}`;
    },
  };
}

function findNode(root: unknown, keyPath: readonly string[]): Node | undefined {
  let current = root as Node | null | undefined;
  for (const part of keyPath) {
    if (!isMap(current)) return undefined;
    const lower = part.toLowerCase();
    const pair = current.items.find((item) => isScalar(item.key) && String(item.key.value).toLowerCase() === lower);
    current = pair?.value as Node | undefined;
  }
  return current && (isMap(current) || isSeq(current) || isScalar(current)) ? current : undefined;
}

function asObject(data: unknown, file: string): Record<string, unknown> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new BootstrapError('INVALID_CONFIG', `The configuration file ${file} must hold a mapping (keys and values) at the top level`);
  }
  return data as Record<string, unknown>;
}

/**
 * The path given with `--config <file>` or `--config=<file>` on a command line (default
 * `process.argv`), like Pitaya's examples; `undefined` when absent. Pass it as the `configFile`
 * option.
 */
export function configFileFromArgs(argv: readonly string[] = process.argv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') return argv[i + 1];
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return undefined;
}

/** The source of `Pitaya.create` options: the `configFile` (read once) and the `env` option. */
export function loadConfigSource(options: { readonly configFile?: string; readonly env?: NodeJS.ProcessEnv }): ConfigSource {
  return new ConfigSource(options.env ?? process.env, options.configFile ? readConfigFile(options.configFile) : undefined);
}
