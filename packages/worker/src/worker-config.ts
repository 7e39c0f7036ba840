import { hostname } from 'node:os';
import { ConfigSource, type Duration } from '@pitaya-ts/core';
import { resolveConfig, type ConfigKey } from '@pitaya-ts/core/internal';

/**
 * Resolved worker configuration: Go Pitaya's keys under `pitaya.worker.*` (spec §8), each
 * overridable by its `PITAYA_*` variable (`PITAYA_WORKER_REDIS_SERVERURL=10.0.0.7:6379`), plus a
 * few pitaya-ts keys marked below. Durations in milliseconds, retry delays in seconds (as stored in
 * the jobs).
 */
export interface WorkerConfig {
  readonly worker: {
    readonly redis: {
      /** `host:port` of Redis (Pitaya's struct key `serverurl`; its docs' `url` is never read by Go). */
      readonly serverUrl: string;
      /**
       * Pitaya's connection pool size. ioredis multiplexes commands over one connection, so the
       * worker uses one command connection plus one for the blocking fetch whatever this says;
       * the key is accepted (and validated) so Pitaya configurations load unchanged.
       */
      readonly pool: number;
      readonly password: string;
    };
    /** Key prefix: `<namespace>:queue:rpc`; empty = no prefix. */
    readonly namespace: string;
    /** Jobs one worker process runs at once. */
    readonly concurrency: number;
    /** Default retry policy of jobs enqueued by this server (stored in each job). */
    readonly retry: {
      readonly enabled: boolean;
      readonly max: number;
      readonly exponential: number;
      readonly minDelay: number;
      readonly maxDelay: number;
      readonly maxRandom: number;
    };
    /**
     * pitaya-ts: identity of this worker process; its in-progress list is
     * `<ns>queue:rpc:<processId>:inprogress`, taken over again by a worker restarted with the same
     * id. Default: the host name, as Pitaya.
     */
    readonly processId: string;
    /** pitaya-ts: how often the retry and schedule sets are polled for due jobs (go-workers: 15 s). */
    readonly pollInterval: number;
    /** pitaya-ts: the dead set (Sidekiq's `dead`) keeps at most this many jobs… */
    readonly dead: { readonly maxJobs: number; /** …for at most this long (Sidekiq: 180 days). */ readonly timeout: number };
    /**
     * pitaya-ts: every worker keeps a heartbeat key `<ns>pitaya-ts:worker:<processId>` alive for `ttl`.
     * With `recover` on, a worker moves the in-progress jobs of process ids without a heartbeat back
     * to the queue (a worker that died and will not come back under the same id, e.g. a replaced
     * pod). Go workers write no heartbeat: enable it only when every worker of the namespace is pitaya-ts.
     */
    readonly orphans: { readonly recover: boolean; readonly ttl: number };
  };
  /** Pitaya's `metrics.period`: how often the worker reports its queue metrics. */
  readonly metrics: { readonly period: number };
}

/** Worker configuration as written in code. */
export interface WorkerConfigInput {
  readonly worker?: {
    readonly redis?: { readonly serverUrl?: string; readonly pool?: number | string; readonly password?: string };
    readonly namespace?: string;
    readonly concurrency?: number;
    readonly retry?: Partial<WorkerConfig['worker']['retry']>;
    readonly processId?: string;
    readonly pollInterval?: number | Duration;
    readonly dead?: { readonly maxJobs?: number; readonly timeout?: number | Duration };
    readonly orphans?: { readonly recover?: boolean; readonly ttl?: number | Duration };
  };
  readonly metrics?: { readonly period?: number | Duration };
}

/** The keys with Go Pitaya's defaults (spec §8; go-workers' own defaults where Pitaya sets none). */
export const WORKER_CONFIG_KEYS: readonly ConfigKey[] = [
  { key: 'worker.redis.serverUrl', type: 'string', default: 'localhost:6379' },
  { key: 'worker.redis.pool', type: 'int', default: 10, min: 1 },
  { key: 'worker.redis.password', type: 'string', default: '' },
  { key: 'worker.namespace', type: 'string', default: '' },
  { key: 'worker.concurrency', type: 'int', default: 1, min: 1, max: 10_000 },
  { key: 'worker.retry.enabled', type: 'bool', default: true },
  { key: 'worker.retry.max', type: 'int', default: 2, min: 0 },
  { key: 'worker.retry.exponential', type: 'int', default: 5, min: 0 },
  { key: 'worker.retry.minDelay', type: 'int', default: 10, min: 0 },
  { key: 'worker.retry.maxDelay', type: 'int', default: 10, min: 0 },
  { key: 'worker.retry.maxRandom', type: 'int', default: 0, min: 0 },
  { key: 'worker.processId', type: 'string', default: '' },
  { key: 'worker.pollInterval', type: 'duration', default: 15_000, min: 10 },
  { key: 'worker.dead.maxJobs', type: 'int', default: 10_000, min: 0 },
  { key: 'worker.dead.timeout', type: 'duration', default: 180 * 24 * 3_600_000, min: 1000 },
  { key: 'worker.orphans.recover', type: 'bool', default: false },
  { key: 'worker.orphans.ttl', type: 'duration', default: 30_000, min: 300 },
  { key: 'metrics.period', type: 'duration', default: 15_000, min: 100 },
];

/**
 * Resolves the worker configuration: environment, else code, else the configuration file, else
 * Pitaya's default. `source` is the application's (file and environment) or just an environment.
 */
export function resolveWorkerConfig(input: WorkerConfigInput = {}, source: ConfigSource | NodeJS.ProcessEnv = process.env): WorkerConfig {
  const config = resolveConfig<WorkerConfig>(WORKER_CONFIG_KEYS, input, source);
  if (config.worker.processId !== '') return config;
  return { ...config, worker: { ...config.worker, processId: hostname() } };
}

/** `host:port` → ioredis connection options. */
export function redisAddress(serverUrl: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(serverUrl.replace(/^redis:\/\//, '').trim());
  const host = match?.[1] || 'localhost';
  const port = match?.[2] !== undefined ? Number(match[2]) : 6379;
  return { host, port };
}
