import { BootstrapError, ConfigSource, type Duration } from '@pitaya-ts/core';
import { envName, resolveConfig, type ConfigKey } from '@pitaya-ts/core/internal';

/** One custom metric of `pitaya.metrics.custom` (Pitaya's shape: spec §7.1). */
export interface CustomMetricSpec {
  readonly subsystem: string;
  readonly name: string;
  readonly help: string;
  readonly labels: readonly string[];
}
/** A custom summary: `objectives` maps quantile → allowed error, as in Pitaya. */
export interface CustomSummarySpec extends CustomMetricSpec {
  readonly objectives: Readonly<Record<string, number>>;
}
/** A custom histogram with its bucket upper bounds. */
export interface CustomHistogramSpec extends CustomMetricSpec {
  readonly buckets: readonly number[];
}
/** `pitaya.metrics.custom`. */
export interface CustomMetricsSpec {
  readonly counters: readonly CustomMetricSpec[];
  readonly gauges: readonly CustomMetricSpec[];
  readonly summaries: readonly CustomSummarySpec[];
  readonly histograms: readonly CustomHistogramSpec[];
}

/** The reporters this package provides, by the name `metrics.reporters` uses. */
export const REPORTER_NAMES = ['prometheus', 'statsd'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

/** Resolved `pitaya.metrics.*` configuration (durations in milliseconds). */
export interface MetricsConfig {
  readonly metrics: {
    /** How often periodic gauges (servers by type, heap, event loop) are sent to StatsD. */
    readonly period: number;
    /** Const label `game` of every metric. */
    readonly game: string;
    /** Const labels of every metric (Pitaya's `pitaya.metrics.constlabels`). */
    readonly constLabels: Readonly<Record<string, string>>;
    /** Variable labels every metric gets, with their default values (Pitaya's `pitaya.metrics.additionallabels`). */
    readonly additionalLabels: Readonly<Record<string, string>>;
    readonly custom: CustomMetricsSpec;
    /** Reporters to enable by name, in addition to the `*.enabled` keys (ours; Pitaya has only the flags). */
    readonly reporters: readonly ReporterName[];
    readonly prometheus: {
      readonly enabled: boolean;
      readonly port: number;
      /** Bind address of the metrics/health HTTP server; empty = every interface, as Go's `:<port>`. */
      readonly host: string;
    };
    readonly statsd: { readonly enabled: boolean; readonly host: string; readonly prefix: string; readonly rate: number };
  };
}

type DeepInput<T> = {
  readonly [K in keyof T]?: T[K] extends number ? number | Duration : T[K] extends readonly unknown[] ? T[K] | string : T[K] extends object ? DeepInput<T[K]> : T[K];
};

/** `pitaya.metrics.*` as written in code: every key optional. */
export interface MetricsConfigInput {
  readonly metrics?: Omit<DeepInput<MetricsConfig['metrics']>, 'constLabels' | 'additionalLabels' | 'custom' | 'reporters'> & {
    readonly constLabels?: Readonly<Record<string, string>>;
    readonly additionalLabels?: Readonly<Record<string, string>>;
    readonly custom?: Partial<CustomMetricsSpec>;
    readonly reporters?: readonly string[] | string;
  };
}

/** Pitaya's scalar `pitaya.metrics.*` keys and defaults (spec §8). */
export const METRICS_CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'metrics.period', type: 'duration', default: 15_000, min: 1 },
  { key: 'metrics.game', type: 'string', default: '' },
  { key: 'metrics.reporters', type: 'list', default: [] },
  { key: 'metrics.prometheus.enabled', type: 'bool', default: false },
  { key: 'metrics.prometheus.port', type: 'int', default: 9090, min: 0, max: 65535 },
  { key: 'metrics.prometheus.host', type: 'string', default: '' },
  { key: 'metrics.statsd.enabled', type: 'bool', default: false },
  { key: 'metrics.statsd.host', type: 'string', default: 'localhost:9125' },
  { key: 'metrics.statsd.prefix', type: 'string', default: 'pitaya.' },
  { key: 'metrics.statsd.rate', type: 'number', default: 1, min: 0, max: 1 },
];

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function invalid(key: string, origin: string, message: string): BootstrapError {
  return new BootstrapError('INVALID_CONFIG', `Invalid configuration pitaya.${key} (${origin}): ${message}`);
}

/**
 * Resolves `pitaya.metrics.*`: `PITAYA_*` variables, else code, else the configuration file
 * (`pitaya.metrics.*` in it, keys case-insensitive as viper reads them), else Pitaya's defaults. Maps
 * (`constLabels`, `additionalLabels`) and `custom` come as objects in code or the file, or JSON in
 * their variable (`PITAYA_METRICS_CONSTLABELS='{"region":"eu"}'`). Anything invalid stops start-up
 * naming the key.
 */
export function resolveMetricsConfig(input: MetricsConfigInput = {}, source: ConfigSource | NodeJS.ProcessEnv = process.env): MetricsConfig {
  const from = source instanceof ConfigSource ? source : new ConfigSource(source);
  const env = from.env;
  const base = resolveConfig<MetricsConfig>(METRICS_CONFIG_KEYS, input, from);
  const m = input.metrics ?? {};
  for (const name of base.metrics.reporters) {
    if (!(REPORTER_NAMES as readonly string[]).includes(name)) {
      const origin = env[envName('metrics.reporters')] ? `environment variable ${envName('metrics.reporters')}` : 'option metrics.reporters';
      throw invalid('metrics.reporters', origin, `unknown reporter "${name}" (known: ${REPORTER_NAMES.join(', ')})`);
    }
  }
  const constLabels = labelMap('metrics.constLabels', m.constLabels, from);
  const additionalLabels = labelMap('metrics.additionalLabels', m.additionalLabels, from);
  for (const reserved of ['game', 'serverType']) {
    if (reserved in constLabels) throw invalid('metrics.constLabels', 'option metrics.constLabels', `"${reserved}" is set by the framework`);
  }
  const custom = customSpec(fromEnvOrCode('metrics.custom', m.custom, from));
  return { metrics: { ...base.metrics, constLabels, additionalLabels, custom } };
}

function fromEnvOrCode(key: string, code: unknown, source: ConfigSource): { value: unknown; origin: string } {
  const variable = envName(key);
  const raw = source.env[variable];
  if (raw === undefined || raw === '') {
    if (code !== undefined) return { value: code, origin: `option ${key}` };
    const path = ['pitaya', ...key.split('.')];
    const fromFile = source.fromFile(path);
    return fromFile === undefined ? { value: undefined, origin: '' } : { value: fromFile, origin: `file ${source.file!.locate(path)}` };
  }
  try {
    return { value: JSON.parse(raw) as unknown, origin: `environment variable ${variable}` };
  } catch {
    throw invalid(key, `environment variable ${variable}`, 'not valid JSON');
  }
}

function labelMap(key: string, code: unknown, source: ConfigSource): Record<string, string> {
  const { value, origin } = fromEnvOrCode(key, code, source);
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(key, origin, 'expected an object of label → value');
  const out: Record<string, string> = {};
  for (const [label, v] of Object.entries(value)) {
    if (!NAME.test(label)) throw invalid(key, origin, `"${label}" is not a valid label name`);
    if (typeof v !== 'string') throw invalid(key, origin, `the value of "${label}" must be a string`);
    out[label] = v;
  }
  return out;
}

function customSpec({ value, origin }: { value: unknown; origin: string }): CustomMetricsSpec {
  const empty: CustomMetricsSpec = { counters: [], gauges: [], summaries: [], histograms: [] };
  if (value === undefined) return empty;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid('metrics.custom', origin, 'expected { counters, gauges, summaries, histograms }');
  const source = value as Record<string, unknown>;
  for (const kind of Object.keys(source)) {
    if (!(kind in empty)) throw invalid(`metrics.custom.${kind}`, origin, 'unknown kind (use counters, gauges, summaries or histograms)');
  }
  const seen = new Set<string>();
  const list = <T extends CustomMetricSpec>(kind: keyof CustomMetricsSpec, extra: (key: string, item: Record<string, unknown>) => Partial<T>): T[] => {
    const items = source[kind];
    if (items === undefined) return [];
    if (!Array.isArray(items)) throw invalid(`metrics.custom.${kind}`, origin, 'expected a list');
    return items.map((item: unknown, index) => {
      const key = `metrics.custom.${kind}[${index}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalid(key, origin, 'expected an object');
      const spec = item as Record<string, unknown>;
      const name = spec.name;
      if (typeof name !== 'string' || !NAME.test(name)) throw invalid(`${key}.name`, origin, `"${String(name)}" is not a valid metric name`);
      const subsystem = spec.subsystem ?? '';
      if (typeof subsystem !== 'string' || (subsystem !== '' && !NAME.test(subsystem))) throw invalid(`${key}.subsystem`, origin, `"${String(subsystem)}" is not a valid name`);
      if (seen.has(name)) throw invalid(`${key}.name`, origin, `metric "${name}" is declared twice`);
      seen.add(name);
      const labels = spec.labels ?? [];
      if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || !NAME.test(l))) {
        throw invalid(`${key}.labels`, origin, 'expected a list of label names');
      }
      const help = spec.help ?? name;
      if (typeof help !== 'string') throw invalid(`${key}.help`, origin, 'expected a string');
      return { subsystem, name, help: help || name, labels: labels as string[], ...extra(key, spec) } as unknown as T;
    });
  };
  return {
    counters: list('counters', () => ({})),
    gauges: list('gauges', () => ({})),
    summaries: list<CustomSummarySpec>('summaries', (key, spec) => {
      const objectives = spec.objectives ?? { '0.5': 0.05, '0.9': 0.01, '0.99': 0.001 };
      if (objectives === null || typeof objectives !== 'object' || Array.isArray(objectives)) throw invalid(`${key}.objectives`, origin, 'expected { quantile: error }');
      for (const [q, e] of Object.entries(objectives)) {
        const quantile = Number(q);
        if (!(quantile > 0 && quantile < 1) || typeof e !== 'number') throw invalid(`${key}.objectives`, origin, `"${q}" must be a quantile in (0, 1) with a numeric error`);
      }
      return { objectives: objectives as Record<string, number> };
    }),
    histograms: list<CustomHistogramSpec>('histograms', (key, spec) => {
      const buckets = spec.buckets;
      if (!Array.isArray(buckets) || buckets.length === 0 || buckets.some((b, i) => typeof b !== 'number' || !Number.isFinite(b) || (i > 0 && b <= (buckets[i - 1] as number)))) {
        throw invalid(`${key}.buckets`, origin, 'expected a non-empty list of increasing numbers');
      }
      return { buckets: buckets as number[] };
    }),
  };
}
